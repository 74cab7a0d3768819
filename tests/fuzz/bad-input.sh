#!/usr/bin/env bash
# tests/fuzz/bad-input.sh: vmptrst-bench on bad configs, flags and files.
#
# Each row of the table below is one mistake and exactly what the user sees:
# the exit code and the one line on stderr (after "vmptrst-bench: "), with
# nothing on stdout.  The table is the reference for the driver's error
# messages; configs/README.md has the rules behind them.
#
# Columns, separated by " | ":
#   need     -       runs anywhere (no module: `plan`, or `run` failing
#                    before it opens the device);
#            module  `run` reaching a check made after the device is opened
#                    (the output directory): runs with VB_BAD_INPUT_MODULE=1
#                    (as root, the module loaded, VMX usable on CPU 0),
#                    skipped with the reason otherwise
#   exit     the exit code (2 bad command line or config, 1 error)
#   command  the arguments after vmptrst-bench, split on blanks; (none): none
#   bad.ini  the config file written before the command (printf %b escapes:
#            \n, \r, \t, \0; @LONG@ is 5000 x's), or - for none
#   message  the whole stderr line after "vmptrst-bench: "
#
# Every row runs in a fresh scratch directory holding: afile (a regular
# file), existing/samples.csv (a header and one measured row).
#
#   BENCH=path/to/vmptrst-bench tests/fuzz/bad-input.sh
# prints "ok N - ..." / "not ok N - ..." per row, then
# "bad-input: N passed, N failed[, N skipped]"; exit 0 only if none failed.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bench=${BENCH:-$here/../../bench/vmptrst-bench}
bench=$(realpath "$bench" 2>/dev/null || echo "$bench")

table=$(cat <<'EOF'
# need | exit | command | bad.ini | message
#
# -- the config file: INI syntax (FILE:LINE: what) --
- | 2 | plan -c bad.ini | [global]\nunrol = 8\n | bad.ini:2: unknown key 'unrol' (did you mean unroll?)
- | 2 | plan -c bad.ini | [global]\nzzzzzzzz = 1\n | bad.ini:2: unknown key 'zzzzzzzz' (keys: instruction, target, field, type, mode, cpu, offset, cache, memtype, page, tlb, ad, vmcs, serialize, unroll, samples, events, require-events, cross-check, wait-vmx, rounds)
- | 2 | plan -c bad.ini | [global]\nunroll = 1\nunroll = 2\n | bad.ini:3: unroll set twice in [global] (first at line 2)
- | 2 | plan -c bad.ini | [fast]\nunroll = 1\n[slow]\n[fast]\nunroll = 2\n | bad.ini:4: [fast] appears twice (first at line 1): one section per group
- | 2 | plan -c bad.ini | [global]\nsamples = 10\n[global]\n | bad.ini:3: [global] appears twice (first at line 1)
- | 2 | plan -c bad.ini | ; no section yet\nunroll = 1\n[global]\n | bad.ini:2: 'unroll' outside a section: put it under [global] or a group's [name]
- | 2 | plan -c bad.ini | []\nunroll = 1\n | bad.ini:1: a section name has 1 to 63 characters
- | 2 | plan -c bad.ini | [global]\nthis line is not ini\n | bad.ini:2: not INI syntax: expected [section], key = value, or a ; or # comment
- | 2 | plan -c bad.ini | [global\nunroll = 1\n | bad.ini:1: not INI syntax: expected [section], key = value, or a ; or # comment
- | 2 | plan -c bad.ini | [global]\nevents = @LONG@\n | bad.ini:2: line too long (at most 4094 characters)
- | 2 | plan -c bad.ini | [global]\nunroll = 1\0\n | bad.ini:2: a NUL byte: not a text file
- | 2 | plan -c bad.ini | ; comments only\n# and nothing else\n | bad.ini: no [global] and no group section: nothing to run
- | 2 | plan -c nosuch.ini | - | nosuch.ini: cannot read the config file: No such file or directory
- | 2 | plan -c . | - | .: read error
#
# -- the config file: values (FILE:LINE: key=value: what) --
- | 2 | plan -c bad.ini | [global]\ncache = warm\n | bad.ini:2: cache=warm: not one of hot|flushed|flushopt
- | 2 | plan -c bad.ini | [global]\nunroll = 3\n | bad.ini:2: unroll=3: not a power of two in 1..256
- | 2 | plan -c bad.ini | [global]\nsamples = 0\n | bad.ini:2: samples=0: out of range 1..262144
- | 2 | plan -c bad.ini | [global]\nsamples = 100, 200\n | bad.ini:2: samples=100, 200: one value only: samples is not an axis
- | 2 | plan -c bad.ini | [global]\nunroll = 1, 2, 1\n | bad.ini:2: unroll=1, 2, 1: value 1 listed twice
- | 2 | plan -c bad.ini | [global]\ncpu =\n | bad.ini:2: cpu=: empty value (an axis needs at least one value)
- | 2 | plan -c bad.ini | [global]\ncpu = 0,,1\n | bad.ini:2: cpu=0,,1: empty element in the list
- | 2 | plan -c bad.ini | [global]\ncpu = 3-1\n | bad.ini:2: cpu=3-1: range 3-1 runs backwards
- | 2 | plan -c bad.ini | [global]\ncpu = 0-4096\n | bad.ini:2: cpu=0-4096: out of range 0..1023
- | 2 | plan -c bad.ini | [global]\noffset = 4194300\n | bad.ini:2: offset=4194300: out of range 0..4194296
- | 2 | plan -c bad.ini | [global]\nmode = gust\n | bad.ini:2: mode=gust: not one of root|guest (did you mean guest?)
- | 2 | plan -c bad.ini | [global]\ncross-check = maybe\n | bad.ini:2: cross-check=maybe: not one of no|yes
- | 2 | plan -c bad.ini | [global]\nwait-vmx = -5\n | bad.ini:2: wait-vmx=-5: out of range 0..3600
- | 2 | plan -c bad.ini | [global]\nwait-vmx = 1h\n | bad.ini:2: wait-vmx=1h: not a number
- | 2 | plan -c bad.ini | [global]\nwait-vmx = 3601\n | bad.ini:2: wait-vmx=3601: out of range 0..3600
- | 2 | plan -c bad.ini | [global]\nwait-vmx = 10, 20\n | bad.ini:2: wait-vmx=10, 20: one value only: wait-vmx is not an axis
- | 2 | plan -c bad.ini | [global]\nrounds = 0\n | bad.ini:2: rounds=0: out of range 1..10000
- | 2 | plan -c bad.ini | [global]\nsamples = 5\nrounds = 10\n | bad.ini:3: [global] rounds: 10 rounds but samples = 5: every round takes at least one sample of each point
- | 2 | plan -c bad.ini | [global]\nsamples = 50\n[a]\nrounds = 10\n[b]\nrounds = 2\n | bad.ini:6: [b] rounds: 2 here but 10 in [a]: rounds interleaves the whole run's points, so it is one value; set it in [global]
#
# -- combinations the module cannot measure ([group] at the more specific line) --
- | 2 | plan -c bad.ini | [global]\ncache = flushed\nunroll = 8\n | bad.ini:3: [global] cache=flushed with unroll=8: a per-sample setup (cache flushed or flushopt, tlb cold, ad clear) needs unroll 1, or it would hold for the first copy only: give these points their own group with unroll = 1
- | 2 | plan -c bad.ini | [global]\nunroll = 1, 4\n[cold]\ntlb = cold\n | bad.ini:4: [cold] tlb=cold with unroll=4: a per-sample setup (cache flushed or flushopt, tlb cold, ad clear) needs unroll 1, or it would hold for the first copy only: give these points their own group with unroll = 1
- | 2 | plan -c bad.ini | [global]\nad = clear\npage = 2m\n | bad.ini:3: [global] ad=clear with page=2m: ad=clear works on 4k pages only: give it its own group with page = 4k
- | 2 | plan -c bad.ini | [global]\noffset = 8190\n | bad.ini:2: [global] offset=8190 with page=4k: out of range 0..8184 for 4k pages (offset + 8 <= 8192)
- | 2 | plan -c bad.ini | [huge]\npage = 1g\noffset = page-split\n | bad.ini:3: [huge] offset=page-split with page=1g: the 1g buffer lies inside one 1 GiB page, there is no boundary to split: give 1g a group without page-split
- | 2 | plan -c bad.ini | [global]\nserialize = lfence, cpuid\n[guest]\nmode = guest\n | bad.ini:4: [guest] serialize=cpuid with mode=guest: cpuid is a VM exit in mode guest; the module refuses the combination: give these points a group of their own
- | 2 | plan -c bad.ini | [refs]\ninstruction = cpuid, vmcall\n | bad.ini:2: [refs] instruction=cpuid with mode=root: cpuid, vmcall, rdmsr, io, xsetbv, invd and cr3-load need mode guest; the module refuses the combination: give these points a group of their own
- | 2 | plan -c bad.ini | [global]\ncpu = 0-1023\nunroll = 1,2,4,8,16,32,64,128,256\ninstruction = vmptrst, mov, none\nvmcs = loaded, none\nserialize = lfence, cpuid, mfence\n | bad.ini:1: [global] 165888 points make the plan larger than 100000 points: split the sweep into several runs
#
# -- PMU events (libpfm4's reason, the closest names) --
- | 2 | plan -c bad.ini | [global]\nevents = NO_SUCH_EVENT\n | bad.ini:2: [global] events: NO_SUCH_EVENT: event not found (libpfm4; see 'vmptrst-bench events')
- | 2 | plan --events NO_SUCH_EVENT | - | command line: events: NO_SUCH_EVENT: event not found (libpfm4; see 'vmptrst-bench events')
#
# -- flags (COMMAND: --flag=value: what); a flag over a config's [global] --
- | 2 | plan --samples 0 | - | plan: --samples=0: out of range 1..262144
- | 2 | plan --unroll 3 | - | plan: --unroll=3: not a power of two in 1..256
- | 2 | plan --cpu 1-0 | - | plan: --cpu=1-0: range 1-0 runs backwards
- | 2 | plan --cpu x | - | plan: --cpu=x: not a number
- | 2 | plan --cpu 0,0 | - | plan: --cpu=0,0: value 0 listed twice
- | 2 | plan --cache warm | - | plan: --cache=warm: not one of hot|flushed|flushopt
- | 2 | plan --mode nonroot | - | plan: --mode=nonroot: not one of root|guest
- | 2 | plan --mode guest --instruction add | - | command line: instruction=add with mode=guest: add, imul and chase run in mode root; the module refuses the combination: give these points a group of their own
- | 2 | plan -c bad.ini | [family]\ninstruction = vmread\ntarget = same\n | bad.ini:3: [family] target=same: no instruction of the group takes a target (vmptrld and vmclear do; the group's instruction: vmread)
- | 2 | plan -c bad.ini | [family]\ninstruction = vmread\nfield = guest-rp\n | bad.ini:3: field=guest-rp: not one of guest-cs-sel|exception-bitmap|guest-debugctl|guest-rip|vm-instruction-error (did you mean guest-rip?)
- | 2 | plan -c bad.ini | [dirty]\nmode = guest\ninstruction = vmcall\nfield = guest-rip\n | bad.ini:4: [dirty] field=guest-rip with mode=guest: mode guest: guest-cs-sel, exception-bitmap or guest-debugctl, for an instruction that exits; the module refuses the combination: give these points a group of their own
- | 2 | plan -c bad.ini | [dirty]\nmode = guest\ninstruction = mov\nfield = exception-bitmap\n | bad.ini:4: [dirty] field=exception-bitmap: no instruction of the group takes a field (vmread and vmwrite do, and in mode guest vmptrst and the VM-exit references; the group's instruction: mov)
- | 2 | plan --instruction vmclear --unroll 1,2 | - | command line: unroll=2 with instruction=vmclear: vmclear current needs unroll 1; the module refuses the combination: give these points a group of their own
- | 2 | plan --unroll | - | plan: option '--unroll' needs a value (U)
- | 2 | plan -c | - | plan: option '--config' needs a value (FILE)
- | 2 | plan --cross-check=yes | - | plan: option '--cross-check' takes no value
- | 2 | plan --bogus | - | plan: unknown option '--bogus' (see 'vmptrst-bench plan --help')
- | 2 | plan extra | - | plan: unexpected argument 'extra'
- | 2 | plan --cache flushed --unroll 8 | - | command line: cache=flushed with unroll=8: a per-sample setup (cache flushed or flushopt, tlb cold, ad clear) needs unroll 1, or it would hold for the first copy only: give these points their own group with unroll = 1
- | 2 | plan --ad clear --page 2m | - | command line: ad=clear with page=2m: ad=clear works on 4k pages only: give it its own group with page = 4k
- | 2 | plan --offset 9000 | - | command line: offset=9000 with page=4k: out of range 0..8184 for 4k pages (offset + 8 <= 8192)
- | 2 | plan --offset page-split --page 1g | - | command line: offset=page-split with page=1g: the 1g buffer lies inside one 1 GiB page, there is no boundary to split: give 1g a group without page-split
- | 2 | plan -c bad.ini --unroll 8 | [global]\ncache = flushed\n | command line: [global] cache=flushed with unroll=8: a per-sample setup (cache flushed or flushopt, tlb cold, ad clear) needs unroll 1, or it would hold for the first copy only: give these points their own group with unroll = 1
- | 2 | plan -c bad.ini --unroll 8 | [global]\nsamples = 10\n[flush]\ncache = flushed\n | bad.ini:4: [flush] cache=flushed with unroll=8: a per-sample setup (cache flushed or flushopt, tlb cold, ad clear) needs unroll 1, or it would hold for the first copy only: give these points their own group with unroll = 1
#
# -- the command --
- | 2 | (none) | - | no command (see 'vmptrst-bench --help')
- | 2 | frobnicate | - | unknown command 'frobnicate' (see 'vmptrst-bench --help')
- | 2 | --frobnicate | - | unknown option '--frobnicate' (see 'vmptrst-bench --help')
#
# -- run: what fails before the device is opened --
- | 2 | run --samples 10 | - | run: -o DIR is required
- | 2 | run -o | - | run: option '--output' needs a value (DIR)
- | 2 | run -o out --samples 0 | - | run: --samples=0: out of range 1..262144
- | 2 | run -o out --samples -1 | - | run: --samples=-1: out of range 1..262144
- | 2 | run -o out --wait-vmx -1 | - | run: --wait-vmx=-1: out of range 0..3600
- | 2 | run -o out --wait-vmx ten | - | run: --wait-vmx=ten: not a number
- | 2 | run -o out --wait-vmx 1.5 | - | run: --wait-vmx=1.5: not a number
- | 2 | run -o out --wait-vmx 3601 | - | run: --wait-vmx=3601: out of range 0..3600
- | 2 | run -o out --wait-vmx 99999999999999999999 | - | run: --wait-vmx=99999999999999999999: out of range 0..3600
- | 2 | run -o out --wait-vmx | - | run: option '--wait-vmx' needs a value (SECONDS)
- | 2 | run -o out --platform mars | - | run: --platform=mars: not one of native|qemu|bochs|vm
- | 2 | run -o out -c bad.ini | [global]\nunrol = 8\n | bad.ini:2: unknown key 'unrol' (did you mean unroll?)
- | 1 | run -o out --cpu 1023 | - | CPU 1023: cannot pin to it (Invalid argument): offline or no such CPU
#
# -- run: the output directory (checked after the device is opened) --
module | 1 | run -o existing | - | existing/samples.csv exists and holds measured rows: choose another -o DIR or pass --force
module | 1 | run -o afile/sub | - | afile/sub: cannot create the output directory: Not a directory
EOF
)

if [[ ! -x $bench ]]; then
	echo "bad-input: no driver at $bench (make -C bench, or BENCH=...)"
	echo "bad-input: 0 passed, 1 failed"
	exit 1
fi
scratch=$(mktemp -d "${TMPDIR:-/tmp}/bad-input.XXXXXX") || exit 1
trap 'rm -rf "$scratch"' EXIT
module=${VB_BAD_INPUT_MODULE:-0}

trim() { local s=$1; s=${s#"${s%%[![:space:]]*}"}; printf '%s' "${s%"${s##*[![:space:]]}"}"; }

passed=0 failed=0 skipped=0 n=0
while IFS= read -r row; do
	[[ -z $row || $row == \#* ]] && continue
	rest=$row
	need=$(trim "${rest%% | *}"); rest=${rest#* | }
	want_rc=$(trim "${rest%% | *}"); rest=${rest#* | }
	cmd=$(trim "${rest%% | *}"); rest=${rest#* | }
	ini=$(trim "${rest%% | *}"); rest=${rest#* | }
	want_msg=$rest
	n=$((n + 1))
	name="vmptrst-bench ${cmd/(none)/}: ${want_msg:0:90}"
	if [[ $need == module && $module != 1 ]]; then
		skipped=$((skipped + 1))
		echo "ok $n - $name # SKIP needs the module: run checks -o DIR after opening the device (VB_BAD_INPUT_MODULE=1)"
		continue
	fi

	dir=$scratch/$n
	mkdir -p "$dir/existing"
	: >"$dir/afile"
	printf 'point,sample,tsc\r\n0,0,100\r\n' >"$dir/existing/samples.csv"
	if [[ $ini != - ]]; then
		ini=${ini//@LONG@/$(printf 'x%.0s' {1..5000})}
		printf '%b' "$ini" >"$dir/bad.ini"
	fi
	args=()
	[[ $cmd != "(none)" ]] && read -ra args <<<"$cmd"
	(cd "$dir" && "$bench" ${args[@]+"${args[@]}"} >"$dir/.out" 2>"$dir/.err" </dev/null)
	rc=$?
	want="vmptrst-bench: $want_msg"
	got=$(cat "$dir/.err")
	lines=$(wc -l <"$dir/.err")
	if [[ $rc == "$want_rc" && $got == "$want" && $lines == 1 && ! -s $dir/.out ]]; then
		passed=$((passed + 1))
		echo "ok $n - $name"
	else
		failed=$((failed + 1))
		echo "not ok $n - $name"
		echo "#   want: exit $want_rc, one line: $want"
		echo "#   got:  exit $rc, $lines line(s) on stderr, $(wc -c <"$dir/.out") bytes on stdout:"
		sed 's/^/#     /' "$dir/.err" | head -5
	fi
done <<<"$table"

echo "bad-input: $passed passed, $failed failed$( ((skipped)) && echo ", $skipped skipped")"
[[ $failed -eq 0 ]]
