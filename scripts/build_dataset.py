"""Rebuild the packaged dataset from dataset/raw into dataset/tables (same as `depeche build`)."""
import sys

from depeche.cli import main

sys.exit(main(["build", *sys.argv[1:]]))
