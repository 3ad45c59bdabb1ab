"""The build step pyproject.toml cannot declare: the repository keeps templates/, banks/ and
docs/ at its top level, and a wheel must carry them inside the package (probgen/templates,
probgen/banks, probgen/docs), where probgen.core.paths finds them with importlib.resources.
An editable install (`pip install -e .`) copies nothing: it reads the folders in the checkout."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
# folder -> the files of it that the wheel ships
SHIPPED = {
    "templates": ["*.j2"],
    "banks": ["*.toml"],
    "docs": ["*.md", "families/*.md"],
}


class BuildPyWithData(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for folder, patterns in SHIPPED.items():
            for pattern in patterns:
                for source in sorted((HERE / folder).glob(pattern)):
                    target = Path(self.build_lib) / "probgen" / folder / source.relative_to(HERE / folder)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(source, target)


setup(cmdclass={"build_py": BuildPyWithData})
