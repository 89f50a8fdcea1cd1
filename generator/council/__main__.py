from council.commands.cli import main

if __name__ == "__main__":  # PDF worker processes import this module too, and must not run the CLI
    main()
