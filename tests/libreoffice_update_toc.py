"""Open a Word file in the real LibreOffice, update its indexes (Tools > Update > Update All does the
same) and export it as PDF: what a clerk sees after opening the report. Run by Debian's own Python
(/usr/bin/python3), which has LibreOffice's UNO bridge (python3-uno); the venv's Python has not.

    /usr/bin/python3 tests/libreoffice_update_toc.py in.docx out.pdf file:///tmp/profile
"""

import subprocess
import sys
import time

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]


def prop(name, value):  # type: ignore[no-untyped-def]
    found = PropertyValue()
    found.Name, found.Value = name, value
    return found


def main(source: str, target: str, profile: str) -> int:
    pipe = f"council-toc-{time.monotonic_ns()}"
    office = subprocess.Popen(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--invisible",
            "--norestore",
            f"--accept=pipe,name={pipe};urp;",
        ]
    )
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        for _ in range(240):
            try:
                context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:  # not listening yet
                time.sleep(0.25)
        else:
            print("LibreOffice never answered", file=sys.stderr)
            return 1
        desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0, (prop("Hidden", True),))
        indexes = document.getDocumentIndexes()
        for index in range(indexes.getCount()):
            indexes.getByIndex(index).update()
        print(f"updated {indexes.getCount()} index(es)")
        document.storeToURL(uno.systemPathToFileUrl(target), (prop("FilterName", "writer_pdf_Export"),))
        document.close(True)
        try:
            desktop.terminate()
        except Exception:  # the bridge closes as the office quits
            pass
        office.wait(timeout=60)
        return 0
    finally:
        if office.poll() is None:
            office.kill()


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
