#!/usr/bin/env bash
# Checks, from the host, what tests/vm/files.c left in a shared folder after
# the VM is gone (run-vm-test.sh --post):
#
#   files-host-check.sh DIR      (DIR is the guest's BASE/keep)
set -euo pipefail

dir=${1:?usage: files-host-check.sh DIR}
fail() {
	echo "host check: $*" >&2
	exit 1
}

[[ -d $dir ]] || fail "$dir is missing"
[[ $(cat "$dir/hello.txt") == "hello from toro" ]] || fail "hello.txt: wrong contents"
[[ $(cat "$dir/replaced.txt") == "new contents" ]] || fail "replaced.txt was not replaced"
[[ ! -e $dir/tmp ]] || fail "the renamed file is still there under its old name"
[[ $(cat "$dir/swap-a") == a && $(cat "$dir/swap-b") == b ]] || fail "swap-a and swap-b were not exchanged"
[[ $(printf '%s,' "$(cat "$dir/appended")") == "1
2," ]] || fail "appended: wrong contents"
[[ $(stat -c %a "$dir/appended") == 600 ]] || fail "appended: mode $(stat -c %a "$dir/appended")"
[[ -L $dir/link && $(readlink "$dir/link") == hello.txt ]] || fail "link is not a symlink to hello.txt"
for i in 0 1 2; do
	[[ $(cat "$dir/sub/$i") == "keep/sub/$i" ]] || fail "sub/$i: wrong contents"
done
[[ $(ls "$dir/sub" | wc -l) == 3 ]] || fail "sub: $(ls "$dir/sub" | wc -l) entries"
echo "host check: $dir as expected"
