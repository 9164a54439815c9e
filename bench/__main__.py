import os
import sys

import django


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    django.setup()
    from bench import export, pages, search, serve, synthetic

    commands = {
        "pages": pages.Command,
        "search": search.Command,
        "serve": serve.Command,
        "export": export.Command,
        "synthetic-tools": synthetic.Command,
    }
    name, *args = sys.argv[1:] or ["--help"]
    if name not in commands:
        sys.exit(f"Usage: python -m bench {{{'|'.join(commands)}}} [--help] [options]")
    commands[name]().run_from_argv(["python -m bench", name, *args])


if __name__ == "__main__":
    main()
