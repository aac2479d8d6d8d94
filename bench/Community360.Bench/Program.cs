using Community360.Bench;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
if (args.Length == 0)
{
    await Console.Error.WriteLineAsync("usage: Community360.Bench generate|repeats|intake|inbox [--option value]...; see bench/README.md");
    return 2;
}
Directory.CreateDirectory("bench-data");
var options = new Options(args[1..]);
return args[0] switch
{
    "generate" => await GenerateCommand.RunAsync(options, cancel.Token),
    "repeats" => await RepeatsCommand.RunAsync(options, cancel.Token),
    "intake" => await IntakeCommand.RunAsync(options, cancel.Token),
    "inbox" => await InboxCommand.RunAsync(options, cancel.Token),
    _ => Usage(args[0]),
};

static int Usage(string command)
{
    Console.Error.WriteLine($"unknown command '{command}': generate, repeats, intake or inbox");
    return 2;
}
