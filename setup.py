"""Builds the Python package descent: python/descent and its extension module
descent._core, compiled by this repository's CMake build (target descent_python).

    python3 -m venv --system-site-packages .venv
    .venv/bin/pip install --no-build-isolation .

DESCENT_CMAKE_BUILD_DIR names a build tree configured with
-DDESCENT_BUILD_PYTHON=ON to build the module in (scripts/test.sh uses its
Release tree); by default a tree of its own is configured under build-python/.
"""

import glob
import os
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = os.path.dirname(os.path.abspath(__file__))


class CMakeBuild(build_ext):
    """Builds descent._core with CMake instead of setuptools' compiler."""

    def build_extension(self, ext):
        build_dir = os.environ.get("DESCENT_CMAKE_BUILD_DIR")
        if build_dir:
            build_dir = os.path.abspath(build_dir)
        else:
            build_dir = os.path.join(ROOT, "build-python", "cmake")
            subprocess.run(
                ["cmake", "-S", ROOT, "-B", build_dir, "-DCMAKE_BUILD_TYPE=Release",
                 "-DDESCENT_BUILD_PYTHON=ON", "-DDESCENT_BUILD_TESTS=OFF",
                 "-DDESCENT_BUILD_BENCH=OFF", "-DDESCENT_WITH_MPI=OFF",
                 f"-DPython3_EXECUTABLE={sys.executable}"],
                check=True)
        subprocess.run(["cmake", "--build", build_dir, "--target", "descent_python",
                        "-j", str(os.cpu_count() or 1)], check=True)
        built = glob.glob(os.path.join(build_dir, "python", "descent", "_core*.so"))
        if len(built) != 1:
            sys.exit(f"setup.py: expected one _core*.so in {build_dir}/python/descent, "
                     f"found {built}")
        target = self.get_ext_fullpath(ext.name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(built[0], target)


setup(
    name="descent",
    version="0.1.0",
    description="descent's optimizers, schedules and minimizers for NumPy, cs231n and PyTorch",
    python_requires=">=3.9",
    install_requires=["numpy"],
    package_dir={"": "python"},
    packages=["descent"],
    ext_modules=[Extension("descent._core", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
    options={"build": {"build_base": "build-python/setuptools"}},
    zip_safe=False,
)
