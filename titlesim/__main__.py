from titlesim.cli import main

main()
