from mwgen.cli import main

main()
