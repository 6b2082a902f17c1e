import Foundation

let status = Firstline.run(Array(CommandLine.arguments.dropFirst()))
exit(status)
