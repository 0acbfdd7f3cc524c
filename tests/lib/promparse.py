#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A strict reader of the Prometheus text exposition format 0.0.4, as
node_exporter's textfile collector takes it, and stricter: every family
has HELP and TYPE before its samples, families are contiguous, no
duplicate series, no timestamps, no blank lines, counters end in _total,
histograms have ascending "le" buckets, cumulative, ending with +Inf equal
to _count, and _sum.

  promparse.py [FILE]    (stdin without FILE)

On success prints the samples as JSON, one list of
{"name", "labels", "value"} (non-finite values as strings), and exits 0;
otherwise prints "FILE:LINE: why" on stderr and exits 1.
"""
import json
import math
import re
import sys

NAME = re.compile(r'[a-zA-Z_:][a-zA-Z0-9_:]*')
LABEL = re.compile(r'[a-zA-Z_][a-zA-Z0-9_]*')
TYPES = ('counter', 'gauge', 'histogram', 'summary', 'untyped')
FLOAT = re.compile(r'[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$')


class Bad(Exception):
    pass


def parse_value(s):
    if s in ('NaN', '+Inf', '-Inf'):
        return float(s.replace('Inf', 'inf').replace('NaN', 'nan'))
    if not FLOAT.match(s):
        raise Bad('invalid value %r' % s)
    return float(s)


def parse_labels(s, i):
    """Labels from s[i] == '{': (dict, index after '}')."""
    labels = {}
    i += 1
    while True:
        if s.startswith('}', i):
            return labels, i + 1
        m = LABEL.match(s, i)
        if not m:
            raise Bad('invalid label name at column %d' % (i + 1))
        name = m.group(0)
        if name.startswith('__'):
            raise Bad('reserved label name %r' % name)
        if name in labels:
            raise Bad('label %r given twice' % name)
        i = m.end()
        if not s.startswith('="', i):
            raise Bad('expected =" after label %r' % name)
        i += 2
        val = []
        while True:
            if i >= len(s):
                raise Bad('unterminated value of label %r' % name)
            c = s[i]
            if c == '\\':
                esc = s[i + 1:i + 2]
                if esc not in ('\\', '"', 'n'):
                    raise Bad('invalid escape \\%s in label %r' % (esc, name))
                val.append('\n' if esc == 'n' else esc)
                i += 2
            elif c == '"':
                i += 1
                break
            else:
                val.append(c)
                i += 1
        labels[name] = ''.join(val)
        if s.startswith(',', i):
            i += 1
            if s.startswith('}', i):
                raise Bad('trailing comma in labels')
        elif not s.startswith('}', i):
            raise Bad('expected , or } after label %r' % name)


def unescape_help(s):
    out, i = [], 0
    while i < len(s):
        if s[i] == '\\':
            esc = s[i + 1:i + 2]
            if esc not in ('\\', 'n'):
                raise Bad('invalid escape \\%s in HELP' % esc)
            out.append('\n' if esc == 'n' else '\\')
            i += 2
        else:
            out.append(s[i])
            i += 1
    return ''.join(out)


def family_of(name, families):
    """The declared family a sample name belongs to, and its suffix."""
    if name in families and families[name]['type'] != 'histogram':
        return name, ''
    for suffix in ('_bucket', '_sum', '_count'):
        base = name[:-len(suffix)]
        if name.endswith(suffix) and families.get(base, {}).get('type') == 'histogram':
            return base, suffix
    raise Bad('sample %r of no declared family' % name)


def check_histogram(name, fam):
    groups = {}
    for s in fam['samples']:
        key = tuple(sorted((k, v) for k, v in s['labels'].items() if k != 'le'))
        g = groups.setdefault(key, {'buckets': [], 'sum': None, 'count': None})
        if s['suffix'] == '_bucket':
            if 'le' not in s['labels']:
                raise Bad('%s_bucket without "le"' % name)
            g['buckets'].append((parse_value(s['labels']['le']), s['value']))
        elif 'le' in s['labels']:
            raise Bad('%s%s with "le"' % (name, s['suffix']))
        else:
            g[s['suffix'][1:]] = s['value']
    for g in groups.values():
        b = g['buckets']
        if not b or b[-1][0] != math.inf:
            raise Bad('histogram %s: no le="+Inf" bucket last' % name)
        if any(b[i][0] >= b[i + 1][0] for i in range(len(b) - 1)):
            raise Bad('histogram %s: buckets not in ascending order' % name)
        if any(b[i][1] > b[i + 1][1] for i in range(len(b) - 1)):
            raise Bad('histogram %s: buckets not cumulative' % name)
        if g['count'] is None or g['sum'] is None:
            raise Bad('histogram %s: _count or _sum missing' % name)
        if g['count'] != b[-1][1]:
            raise Bad('histogram %s: _count %s is not the +Inf bucket %s'
                      % (name, g['count'], b[-1][1]))


def parse(lines):
    families = {}
    order = []
    series = set()
    samples = []
    for n, line in enumerate(lines, 1):
        try:
            if not line.endswith('\n'):
                raise Bad('the last line has no newline')
            line = line[:-1]
            if not line.strip():
                raise Bad('blank line')
            if line.startswith('#'):
                parts = line.split(' ', 3)
                if len(parts) >= 3 and parts[1] in ('HELP', 'TYPE'):
                    kw, name = parts[1], parts[2]
                    if not NAME.fullmatch(name):
                        raise Bad('invalid metric name %r' % name)
                    fam = families.setdefault(name, {'samples': []})
                    if name not in order:
                        order.append(name)
                    elif order[-1] != name:
                        raise Bad('family %s is not contiguous' % name)
                    if fam['samples']:
                        raise Bad('%s after samples of %s' % (kw, name))
                    if kw in fam:
                        raise Bad('second %s of %s' % (kw, name))
                    text = parts[3] if len(parts) > 3 else ''
                    if kw == 'HELP':
                        fam['HELP'] = unescape_help(text)
                    else:
                        if text not in TYPES:
                            raise Bad('invalid type %r' % text)
                        if text == 'counter' and not name.endswith('_total'):
                            raise Bad('counter %s does not end in _total' % name)
                        fam['TYPE'] = fam['type'] = text
                continue
            m = NAME.match(line)
            if not m:
                raise Bad('invalid metric name')
            name, i = m.group(0), m.end()
            labels = {}
            if line.startswith('{', i):
                labels, i = parse_labels(line, i)
            if not line.startswith(' ', i):
                raise Bad('expected one space before the value')
            rest = line[i + 1:]
            if ' ' in rest:
                raise Bad('a timestamp or trailing text: %r' % rest)
            value = parse_value(rest)
            base, suffix = family_of(name, families)
            fam = families[base]
            if 'HELP' not in fam or 'TYPE' not in fam:
                raise Bad('%s has no HELP or no TYPE' % base)
            if order[-1] != base:
                raise Bad('family %s is not contiguous' % base)
            key = (name, tuple(sorted(labels.items())))
            if key in series:
                raise Bad('duplicate series %s%s' % (name, labels))
            series.add(key)
            if fam['type'] == 'counter' and (value < 0 or math.isnan(value)):
                raise Bad('counter %s is %s' % (name, value))
            s = {'name': name, 'labels': labels, 'value': value,
                 'suffix': suffix}
            fam['samples'].append(s)
            samples.append(s)
        except Bad as e:
            raise Bad('%d: %s' % (n, e))
    for name in order:
        fam = families[name]
        if 'TYPE' not in fam or 'HELP' not in fam:
            raise Bad('end: %s has no HELP or no TYPE' % name)
        if fam['type'] == 'histogram':
            try:
                check_histogram(name, fam)
            except Bad as e:
                raise Bad('end: %s' % e)
    return samples


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else '-'
    f = sys.stdin if path == '-' else open(path, encoding='utf-8')
    try:
        samples = parse(f.readlines())
    except Bad as e:
        print('%s:%s' % (path, e), file=sys.stderr)
        return 1
    out = []
    for s in samples:
        v = s['value']
        out.append({'name': s['name'], 'labels': s['labels'],
                    'value': v if math.isfinite(v) else str(v)})
    json.dump(out, sys.stdout)
    print()
    return 0


if __name__ == '__main__':
    sys.exit(main())
