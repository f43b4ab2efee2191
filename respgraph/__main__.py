from respgraph.commands.main import main

main()
