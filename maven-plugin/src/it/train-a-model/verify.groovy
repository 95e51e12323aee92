def log = new File(basedir, 'build.log').text
assert log.contains('nnc: compiled 1 of 1 model(s)')
assert new File(basedir, 'target/generated-sources/nnc/com/example/Line.java').isFile()
assert log.contains('Tests run: 1, Failures: 0, Errors: 0')
