def log = new File(basedir, 'build.log').text
// The second build found the generated class newer than its .nn file and compiled nothing.
assert log.contains('nnc: all 1 model(s) are up to date')
assert new File(basedir, 'target/generated-sources/nnc/Line.java').isFile()
assert new File(basedir, 'target/classes/Line.class').isFile()
