#!/usr/bin/env python3
"""Adds up the Surefire XML reports under target/ and prints 'tests failures errors skipped' for .ci/run."""
import glob
import sys
import xml.etree.ElementTree as ET

tests = failures = errors = skipped = 0
for path in glob.glob(sys.argv[1] + "/target/surefire-reports*/TEST-*.xml"):
    root = ET.parse(path).getroot()
    tests += int(root.get("tests", 0))
    failures += int(root.get("failures", 0))
    errors += int(root.get("errors", 0))
    skipped += int(root.get("skipped", 0))
print(tests, failures, errors, skipped)
