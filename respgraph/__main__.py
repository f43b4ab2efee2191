from respgraph.cli import main

main()
