using System.Globalization;
using System.Text.Json;
using Community360.Common;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Community360.Web.Infrastructure;

/// <summary>
/// Structured JSON logs, one object a line, with anything that looks like a mobile number or a resident ID
/// number masked in the message, the state values and the exception: the last line of defence, whatever
/// a developer passes to a logger.
/// </summary>
internal sealed class RedactingJsonConsoleFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "c360-json";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null)
        {
            return;
        }
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("time", DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            json.WriteString("level", logEntry.LogLevel.ToString());
            json.WriteString("category", logEntry.Category);
            if (logEntry.EventId.Id != 0)
            {
                json.WriteNumber("eventId", logEntry.EventId.Id);
            }
            json.WriteString("message", Masking.ScrubText(message));
            if (logEntry.Exception is { } exception)
            {
                json.WriteString("exception", Masking.ScrubText(exception.ToString()));
            }
            if (logEntry.State is IReadOnlyList<KeyValuePair<string, object?>> state)
            {
                json.WriteStartObject("state");
                foreach (var (key, value) in state)
                {
                    if (key == "{OriginalFormat}")
                    {
                        continue;
                    }
                    json.WriteString(key, Masking.ScrubText(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty));
                }
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        textWriter.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    /// <summary>Formats one entry the way the console sink would; used by tests to check the masking.</summary>
    internal static string Render(LogLevel level, string category, string message, Exception? exception = null)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        var entry = new LogEntry<string>(level, category, default, message, exception, (s, _) => s);
        new RedactingJsonConsoleFormatter().Write(entry, scopeProvider: null, writer);
        return writer.ToString();
    }
}
