def log = new File(basedir, 'build.log').text
// Every error of every file, in the command line's format, with the source line and a caret.
assert log.contains("src/main/nn/bad.nn:4:22: error[E201]: undefined name 'xx'; did you mean 'x'?")
assert log.contains("  output out = dense(xx, 1)")
assert log.contains("src/main/nn/worse.nn:4:16: error[E204]: unknown function 'sigmod'; did you mean 'sigmoid'?")
assert log.contains("nnc: 2 error(s) in .nn files")
// No stack trace (Maven's own closing lines link to a help page, which is fine).
assert !(log =~ /(?m)^\s+at [a-zA-Z_$][\w$.]*\(/)
assert !log.contains('Caused by')
