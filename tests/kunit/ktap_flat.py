# SPDX-License-Identifier: GPL-2.0
"""Flatten kunit.py's parse of KTAP into one line per KUnit test case.

usage: ktap_flat.py KUNIT_TOOL_DIR KERNEL_OUTPUT [PRETTY_OUT]

KUNIT_TOOL_DIR is tools/testing/kunit of the kernel tree that ran the tests;
its kunit_parser (the same parser kunit.py uses) reads KERNEL_OUTPUT (raw
kernel output, e.g. from kunit.py run --raw_output=all).  kunit_parser's own
pretty printing goes to PRETTY_OUT (default: discarded).

Prints, at column 0, per case:
  ok - kunit: <suite>.<case>            passed
  ok - kunit: <suite>.<case> # SKIP why skipped, with the test's reason
  not ok - kunit: <suite>.<case>        failed or crashed (+ "#" log lines)
then "# kunit: N passed, N failed".  Exits 1 if any case failed, a suite or
the run failed without a failing case to show for it, or no case ran.
"""
import contextlib
import io
import re
import sys

# A KTAP result with the SKIP directive: the parser keeps no reason.
SKIP_LINE = re.compile(r'(?:ok|not ok) [0-9]+ (?:- )?(.*?) # SKIP ?(.*)$')


def main(argv):
	if len(argv) not in (3, 4):
		print(__doc__.strip(), file=sys.stderr)
		return 2
	sys.path.insert(0, argv[1])
	pretty = io.StringIO()
	# kunit_parser prints through kunit_printer.stdout, which holds the
	# sys.stdout of import time: import with stdout redirected, and point
	# the printer at our buffer as well.
	with contextlib.redirect_stdout(pretty):
		import kunit_printer
		import kunit_parser
	from kunit_parser import TestStatus
	kunit_printer.stdout._output = pretty

	with open(argv[2], encoding='utf-8', errors='replace') as f:
		lines = f.read().splitlines(keepends=True)
	with contextlib.redirect_stdout(pretty):
		root = kunit_parser.parse_run_tests(lines)
	skip_why = {}
	for line in lines:
		m = SKIP_LINE.search(line.rstrip('\n'))
		if m:
			skip_why[m.group(1)] = m.group(2).strip()
	if len(argv) == 4:
		with open(argv[3], 'w', encoding='utf-8') as f:
			f.write(pretty.getvalue())

	passed = failed = skipped = 0

	def diag(test):
		for line in test.log:
			line = line.rstrip('\n')
			if line.strip():
				print('#   ' + line.strip())

	def emit(name, test):
		nonlocal passed, failed, skipped
		st = test.status
		if st == TestStatus.SUCCESS:
			print(f'ok - kunit: {name}')
			passed += 1
		elif st in (TestStatus.SKIPPED, TestStatus.NO_TESTS):
			why = skip_why.get(test.name) or (
				'no test cases' if st == TestStatus.NO_TESTS
				else 'no reason given')
			print(f'ok - kunit: {name} # SKIP {why}')
			skipped += 1
		else:
			why = '' if st == TestStatus.FAILURE else f' # {st.name}'
			print(f'not ok - kunit: {name}{why}')
			diag(test)
			failed += 1

	bad = TestStatus.SUCCESS, TestStatus.SKIPPED, TestStatus.NO_TESTS
	if root.status == TestStatus.FAILURE_TO_PARSE_TESTS:
		print('not ok - kunit: run # no KTAP output; did the kernel boot?')
		failed += 1
	# kunit_parser adds nameless placeholders for tests announced in the
	# plan ("1..N") that never reported: the kernel died or hung.
	missing_suites = 0
	for suite in root.subtests:
		if not suite.name:
			missing_suites += 1
			continue
		if not suite.subtests:
			# A suite with no cases of its own (skipped or failed as a whole).
			emit(suite.name, suite)
			continue
		nfailed = failed
		missing = []
		for case in suite.subtests:
			if case.name:
				emit(f'{suite.name}.{case.name}', case)
			else:
				missing.append(case)
		if missing or (suite.status not in bad and failed == nfailed):
			# The kernel died mid-suite, suite_init failed, ...
			why = f'; {len(missing)} case(s) never reported' if missing else ''
			print(f'not ok - kunit: {suite.name} # {suite.status.name}{why}')
			diag(suite)
			for case in missing:
				diag(case)
			failed += 1
	if missing_suites or (root.status not in bad and failed == 0 and
			root.status != TestStatus.FAILURE_TO_PARSE_TESTS):
		why = f'; {missing_suites} suite(s) never reported' if missing_suites else ''
		print(f'not ok - kunit: run # {root.status.name}{why}')
		for line in pretty.getvalue().splitlines():
			if '[ERROR]' in line:
				print('#   ' + line)
		failed += 1
	if passed + failed == 0:
		print('not ok - kunit: run # no test cases ran')
		failed += 1
	print(f'# kunit: {passed} passed, {failed} failed, {skipped} skipped')
	return 1 if failed else 0


if __name__ == '__main__':
	sys.exit(main(sys.argv))
