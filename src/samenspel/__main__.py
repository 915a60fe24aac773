from samenspel.cli.main import main

main()
