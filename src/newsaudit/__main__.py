from newsaudit.cli import main

main()
