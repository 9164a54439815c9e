import os

# Tests run with DEBUG off, as production does; they only need a throwaway key.
os.environ.setdefault("SECRET_KEY", "tests-only-secret-key")
