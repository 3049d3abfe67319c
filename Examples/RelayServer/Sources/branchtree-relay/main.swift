import RelayServer

// Parsed and run here rather than by `RelayCommand.main()`: called from another module's
// top-level code, ArgumentParser's `main()` resolves to its synchronous entry point.
do {
    let command = try RelayCommand.parseAsRoot()
    guard let relay = command as? RelayCommand else { preconditionFailure("the root command is RelayCommand") }
    try await relay.serve()
} catch {
    RelayCommand.exit(withError: error)
}
