// Empty: SwiftPM needs one source file in a C target; CFirstlineLinux.h is the whole module.
