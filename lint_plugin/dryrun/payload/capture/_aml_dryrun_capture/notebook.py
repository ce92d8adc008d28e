"""What a notebook's `%%writefile` cells do, for a notebook run as one module in the sandbox."""

import os
import re
import shlex

_VARIABLE = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?|\{([^{}]+)\}")


def _expand(text, namespace):
    """IPython's expansion of a magic's arguments: `$name` and `{expression}` from the user namespace."""
    def value(match):
        if match.group(1):
            return str(namespace.get(match.group(1), match.group(0)))
        return str(eval(match.group(2), namespace))  # the notebook's own expression, in its namespace
    return _VARIABLE.sub(value, text)


def writefile(namespace):
    def write(arguments, body):
        parts = shlex.split(_expand(arguments, namespace))
        append = "-a" in parts or "--append" in parts
        path = [part for part in parts if not part.startswith("-")][-1]
        print("%s %s" % ("Appending to" if append else "Writing", path))
        folder = os.path.dirname(path)
        if folder and not os.path.isdir(folder):
            raise FileNotFoundError("%%%%writefile %s: no such folder %s" % (path, folder))
        with open(path, "a" if append else "w") as handle:
            handle.write(body)
    return write
