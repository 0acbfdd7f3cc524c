#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The words of the CLI, from the tool's own table, against what describes it.

  tests/tool/cli-words.py XFRM_HC_BINARY MAN_PAGE BASH_COMPLETION \
      [XFRM_HCD_BINARY XFRM_HCD_MAN_PAGE]

"xfrm-hc help --keywords" lists the command table of main.c and the
keyword tables its parsers use: the options, objects, commands, and per
command the keywords it takes and the words those take. Each of these
must say the same, no more and no less, one TAP line per object or
command:
  - the help: its options, and the syntax "xfrm-hc OBJECT help" prints
    (hand-written in the table), PROFILE and SETTINGS replaced by their
    definitions;
  - the man page: its OPTIONS, the synopses of its COMMANDS section, with
    PROFILE and SETTINGS replaced by the words of its PROFILE and CHECK
    SETTINGS sections;
  - the bash completion, sourced and called as bash would (as
    tests/tool/completion.sh does): the options, the objects, the commands
    after an object, the keywords after a command, the words after a
    keyword.
Words are the literal ones: a capitalised word (ADDR, PROFILE) is a
placeholder, not a word.
The service, xfrm-hcd, has options only: those its --help lists (from
its own table) are those of its man page's OPTIONS and those the
completion offers after "xfrm-hcd -", no more and no less.
"""

import os
import re
import subprocess
import sys
import tempfile

n = 0
failed = 0


def tap(ok, what, details=()):
    global n, failed
    n += 1
    if not ok:
        failed = 1
    print(f"{'ok' if ok else 'not ok'} {n} - cli words: {what}")
    for d in details:
        print(f"#   {d}")


def differ(missing, extra):
    out = []
    if missing:
        out.append("missing: " + " ".join(sorted(missing)))
    if extra:
        out.append("not in the table: " + " ".join(sorted(extra)))
    return out


class Table:
    """What "xfrm-hc help --keywords" says."""

    def __init__(self, text):
        self.options = set()    # -j --json ...
        self.objects = []
        self.cmds = {}          # object -> [command, ...]
        self.kws = {}           # (object, command) -> {keyword: (arg, vals)}
        for line in text.splitlines():
            w = line.split()
            if w[0] == "option":
                self.options |= {x for x in w[1:] if is_option(x)}
            elif w[0] == "object":
                self.objects.append(w[1])
                self.cmds[w[1]] = []
            elif w[0] == "command":
                self.cmds[w[1]].append(w[2])
                self.kws[(w[1], w[2])] = {}
            elif w[0] == "keyword":
                arg = [x for x in w[4:] if not is_word(x)]
                vals = {x for x in w[4:] if is_word(x)}
                self.kws.setdefault((w[1], w[2]), {})[w[3]] = (arg, vals)
            else:
                raise ValueError(f"help --keywords: {line}")
        for o in self.objects:
            if not self.cmds[o]:
                self.kws.setdefault((o, "-"), {})

    def commands(self, o):
        return self.cmds[o] or ["-"]

    def words(self, o, c):
        """The keywords of a command and the words they take."""
        out = set()
        for kw, (_, vals) in self.kws[(o, c)].items():
            out |= {kw} | vals
        return out


def is_word(t):
    return re.fullmatch(r"-{0,2}[a-z][a-z0-9_-]*", t) is not None


def is_option(t):
    return re.fullmatch(r"-[A-Za-z]|--[a-z][a-z0-9-]*", t) is not None


def tokens(text):
    return re.findall(r"[A-Za-z0-9_.-]+|[|{}\[\]]", text)


def synopsis(table, toks, defs):
    """OBJECT, its command names (["-"] for none) and the literal words of
    a synopsis's tokens; PROFILE and SETTINGS become the words of DEFS."""
    o, rest = toks[0], toks[1:]
    names = ["-"]
    if table.cmds.get(o):
        if rest and rest[0] == "{":
            end = rest.index("}")
            names = [t for t in rest[1:end] if t != "|"]
            rest = rest[end + 1:]
        elif rest:
            names, rest = [rest[0]], rest[1:]
    words = {t for t in rest if is_word(t)}
    for d in ("PROFILE", "SETTINGS"):
        if d in rest:
            words |= defs.get(d, {f"<no {d}>"})
    return o, names, words


def compare(table, what, found):
    """FOUND: {(object, command): words} from one description."""
    for o in table.objects:
        for c in table.commands(o):
            name = o if c == "-" else f"{o} {c}"
            if (o, c) not in found:
                tap(False, f"{what} has \"{name}\"")
                continue
            want = table.words(o, c)
            got = found[(o, c)]
            tap(want == got, f"{what} of \"{name}\" has the table's words",
                differ(want - got, got - want))
    extra = [f"{o} {c}" for (o, c) in found
             if o not in table.cmds or c not in table.commands(o)]
    tap(not extra, f"{what} has no command the table lacks",
        ["not in the table: " + ", ".join(extra)] if extra else [])


def options(what, words, table):
    got = {w for w in words if is_option(w)}
    tap(got == table.options, f"{what} has the table's options",
        differ(table.options - got, got - table.options))


def help_words(table, binary):
    out = subprocess.run([binary, "--help"], capture_output=True,
                         text=True, check=True).stdout
    m = re.search(r"^Options:\n((?:\s.*\n)*)", out, re.M)
    options("xfrm-hc --help", tokens(m.group(1) if m else ""), table)
    found = {}
    for o in table.objects:
        out = subprocess.run([binary, o, "help"], capture_output=True,
                             text=True, check=True).stdout
        # One synopsis or definition a line, continued by indented lines.
        entries = []
        for line in out.splitlines():
            if line[:1].isspace() and entries:
                entries[-1] += " " + line
            else:
                entries.append(line)
        defs = {}
        for e in entries:
            m = re.match(r"(\w+) :=(.*)", e)
            if m:
                defs[m.group(1)] = {t for t in tokens(m.group(2))
                                    if is_word(t)}
        for e in entries:
            if not e.startswith("xfrm-hc "):
                continue
            so, names, words = synopsis(table, tokens(e)[1:], defs)
            for c in names:
                found[(so, c)] = words
    compare(table, '"xfrm-hc OBJECT help"', found)


def roff_text(line):
    """A roff line as it reads: macros' arguments joined, fonts gone."""
    m = re.match(r"\.(BR|RB|BI|IB|IR|RI|B|I)(?:\s+(.*)|$)", line)
    if m:
        args = [q or a
                for q, a in re.findall(r'"((?:[^"]|"")*)"|(\S+)',
                                       m.group(2) or "")]
        line = (" " if m.group(1) in ("B", "I") else "").join(args)
    line = re.sub(r"\\f[BRIP]", "", line)
    for esc, s in (("\\-", "-"), ("\\(aq", "'"), ("\\(dq", '"'),
                   ("\\&", ""), ("\\|", ""), ("\\e", "\\")):
        line = line.replace(esc, s)
    return line


def man_words(table, path):
    tags = {}                   # section -> [tag text]
    section = None
    lines = open(path, encoding="utf-8").read().splitlines()
    for i, line in enumerate(lines):
        if line.startswith(".SH"):
            section = line[3:].strip().strip('"')
        elif line.startswith(".TP") and i + 1 < len(lines):
            tags.setdefault(section, []).append(roff_text(lines[i + 1]))
    options("the man page's OPTIONS",
            [t for tag in tags.get("OPTIONS", []) for t in tokens(tag)],
            table)
    defs = {}
    for d, sec in (("PROFILE", "PROFILE"), ("SETTINGS", "CHECK SETTINGS")):
        defs[d] = {t for tag in tags.get(sec, []) for t in tokens(tag)
                   if is_word(t)}
    found = {}
    for tag in tags.get("COMMANDS", []):
        o, names, words = synopsis(table, tokens(tag), defs)
        for c in names:
            found[(o, c)] = found.get((o, c), set()) | words
    compare(table, "the man page's synopsis", found)


# "complete_line LINE" of tests/tool/completion.sh, on each line of stdin;
# "ip" and "xfrm-hc" offer nothing.
COMPLETE = r'''
set -u
. "$1" || exit 1
ip() { :; }
xfrm-hc() { :; }
while IFS= read -r line; do
	read -ra COMP_WORDS <<<"$line"
	[[ $line != *' ' ]] || COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_xfrm_hc
	echo "${COMPREPLY[*]}"
done
'''


def completion_words(table, path):
    lines = []                  # (line, what, check(got) -> details)

    def want(line, what, exact=None, has=(), lacks=()):
        def check(got):
            out = []
            if exact is not None:
                out = differ(exact - got, got - exact)
            else:
                if set(has) - got:
                    out.append("missing: " + " ".join(sorted(set(has) - got)))
                if set(lacks) & got:
                    out.append("offered after a keyword that takes a "
                               "value: " + " ".join(sorted(set(lacks) & got)))
            return out
        lines.append((line, what, check))

    want("xfrm-hc -", "the options", table.options)
    want("xfrm-hc ", "the objects after xfrm-hc", set(table.objects))
    for o in table.objects:
        # "xfrm-hc OBJECT help" is every object's (hc_run()).
        help_ = set() if o == "help" else {"help"}
        if table.cmds[o]:
            want(f"xfrm-hc {o} ", f"the commands after \"{o}\"",
                 set(table.cmds[o]) | help_)
        else:
            want(f"xfrm-hc {o} ", f"the words after \"{o}\"",
                 set(table.kws[(o, "-")]) | help_)
        for c in table.commands(o):
            kws = table.kws[(o, c)]
            head = f"xfrm-hc {o} " + ("" if c == "-" else f"{c} ")
            name = head[8:].strip()
            if c != "-":
                want(head, f"the keywords after \"{name}\"", set(kws))
            for kw, (arg, vals) in kws.items():
                what = f"the words after \"{name} {kw}\""
                if not arg and not vals:
                    if c == "-":
                        want(head + kw + " ", f"the words after \"{name} "
                             f"{kw}\" (a flag)", set(kws) - {kw})
                    continue
                if not arg:
                    want(head + kw + " ", what, vals)
                else:
                    want(head + kw + " ", what, has=vals, lacks=set(kws))
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(["bash", "-c", COMPLETE, "bash",
                              os.path.abspath(path)],
                             input="".join(f"{l}\n" for l, _, _ in lines),
                             capture_output=True, text=True, cwd=tmp)
    got = out.stdout.split("\n")
    if out.returncode or len(got) < len(lines):
        tap(False, "the completion runs", [out.stderr.strip()])
        return
    for (line, what, check), g in zip(lines, got):
        details = check(set(g.split()))
        tap(not details, f"completion: {what}", details)


def hcd_words(binary, man, completion):
    out = subprocess.run([binary, "--help"], capture_output=True,
                         text=True, check=True).stdout
    m = re.search(r"^Options:\n((?:\s.*\n)*)", out, re.M)
    want = {t for t in tokens(m.group(1) if m else "") if is_option(t)}
    tap(len(want) > 5, "xfrm-hcd --help lists its options")
    section = None
    got = set()
    lines = open(man, encoding="utf-8").read().splitlines()
    for i, line in enumerate(lines):
        if line.startswith(".SH"):
            section = line[3:].strip().strip('"')
        elif line.startswith(".TP") and section == "OPTIONS" and \
                i + 1 < len(lines):
            got |= {t for t in tokens(roff_text(lines[i + 1]))
                    if is_option(t)}
    tap(got == want, "xfrm-hcd's man page has its options",
        differ(want - got, got - want))
    script = COMPLETE.replace("_xfrm_hc\n", "_xfrm_hcd\n")
    res = subprocess.run(["bash", "-c", script, "bash",
                          os.path.abspath(completion)],
                         input="xfrm-hcd -\n", capture_output=True, text=True)
    got = set(res.stdout.split())
    tap(not res.returncode and got == want,
        "completion: the options after \"xfrm-hcd -\"",
        differ(want - got, got - want) + [res.stderr.strip()])


def main():
    binary, man, completion = sys.argv[1:4]
    out = subprocess.run([binary, "help", "--keywords"], capture_output=True,
                         text=True, check=True).stdout
    table = Table(out)
    tap(bool(table.objects), "xfrm-hc help --keywords lists the table")
    help_words(table, binary)
    man_words(table, man)
    completion_words(table, completion)
    if len(sys.argv) > 5:
        hcd_words(sys.argv[4], sys.argv[5], completion)
    print(f"1..{n}")
    return failed


if __name__ == "__main__":
    sys.exit(main())
