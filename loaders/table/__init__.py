"""3. Tables: a raw table, what each column means, the layout rules, and what check shows of the reading."""
