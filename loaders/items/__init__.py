"""4. Items: a raw table given its meaning: items, sub-items, milestones, units, groups, leaders and their names."""
