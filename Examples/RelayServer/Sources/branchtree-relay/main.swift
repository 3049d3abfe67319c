import RelayServer

// Parsed and run here rather than by `RelayCommand.main()`: called from another module's
// top-level code, ArgumentParser's `main()` resolves to its synchronous entry point.
do {
    var command = try RelayCommand.parseAsRoot()
    if let relay = command as? RelayCommand {
        try await relay.serve()
    } else {
        try command.run()  // --help, --version
    }
} catch {
    RelayCommand.exit(withError: error)
}
