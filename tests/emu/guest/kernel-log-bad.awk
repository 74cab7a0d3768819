# kernel-log-bad.awk < LOG: the lines of a kernel log that no test may cause,
# from the test's "vmptrst-test: start" marker on (Bochs makes the kernel warn
# about its emulated CPU during boot, before that).  A WARN, BUG, Oops or
# general protection fault never; a call trace only between the NMI test's
# markers, where sysrq l prints every CPU's (guest/nmi-test.sh).  Used by the
# guest scripts (from /payload) and by the host's checks (tests/emu/lib.sh).
/vmptrst-test: start/ { on = 1 }
/vmptrst-test: nmi backtraces begin/ { nmi = 1 }
/vmptrst-test: nmi backtraces end/ { nmi = 0 }
on && (/WARNING:|BUG:|Oops|general protection/ || (!nmi && /Call Trace/))
