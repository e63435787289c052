enum HTTPServerBenchmark {
    static func serve(arguments: [String]) { print("not yet") }
}
