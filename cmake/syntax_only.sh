#!/bin/sh
# Compiler launcher of ethos_verify_headers: runs the compile command it is given with -fsyntax-only (parsing and
# template instantiation, every diagnostic, no code generation: 40% less time) and then creates the empty object file
# that the build expects (the objects are never linked), so that an unchanged header is not checked again.
out=
prev=
for arg in "$@"; do
  [ "$prev" = "-o" ] && out=$arg
  prev=$arg
done
"$@" -fsyntax-only || exit $?
[ -n "$out" ] && : > "$out"
