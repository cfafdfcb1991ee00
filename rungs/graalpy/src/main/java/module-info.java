// A named module, so that the launcher runs on the module path beside Truffle and GraalPy.
module ladder.graalpy {
    requires org.graalvm.polyglot;
}
