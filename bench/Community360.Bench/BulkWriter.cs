using System.Data.Common;
using Community360.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Community360.Bench;

/// <summary>
/// Writes entities straight into their tables, bypassing change tracking and the audit chain: column names, value
/// converters (enums as text, UTC instants) and parameter types all come from the EF model, so the rows are exactly what
/// EF would have written. SQLite: multi-row prepared INSERTs in one transaction per batch; PostgreSQL: binary COPY.
/// </summary>
internal sealed class BulkWriter<T>
    where T : class
{
    // One row per prepared statement: SQLite looks named parameters up linearly, so wide multi-row statements cost O(n²).
    private const int SqliteRowsPerStatement = 1;

    private readonly string _table;
    private readonly List<IProperty> _properties;
    private readonly List<string> _columns;
    private readonly List<RelationalTypeMapping> _mappings;
    private readonly List<string> _storeTypes;

    public BulkWriter(AppDbContext db)
    {
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped.");
        _table = entity.GetTableName()!;
        var store = StoreObjectIdentifier.Table(_table, entity.GetSchema());
        _properties = entity.GetProperties().ToList();
        if (_properties.FirstOrDefault(p => p.IsShadowProperty()) is { } shadow)
        {
            throw new InvalidOperationException($"{typeof(T).Name}.{shadow.Name} is a shadow property; the bulk writer reads CLR members only.");
        }
        _columns = _properties.Select(p => p.GetColumnName(store)!).ToList();
        _mappings = _properties.Select(p => (RelationalTypeMapping)p.GetTypeMapping()).ToList();
        _storeTypes = _properties.Select(p =>
        {
            var type = p.GetColumnType(store);
            var paren = type.IndexOf('(', StringComparison.Ordinal);
            return paren < 0 ? type : type[..paren];
        }).ToList();
    }

    private object? ProviderValue(int column, T entity)
    {
        var value = _properties[column].GetGetter().GetClrValue(entity);
        return value is null ? null : _mappings[column].Converter is { } converter ? converter.ConvertToProvider(value) : value;
    }

    public async Task WriteAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<T> rows, CancellationToken ct)
    {
        switch (connection)
        {
            case SqliteConnection sqlite:
                await WriteSqliteAsync(sqlite, (SqliteTransaction)transaction, rows, ct);
                break;
            case NpgsqlConnection npgsql:
                await WriteCopyAsync(npgsql, rows, ct);
                break;
            default:
                throw new NotSupportedException(connection.GetType().Name);
        }
    }

    private async Task WriteSqliteAsync(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<T> rows, CancellationToken ct)
    {
        SqliteCommand? full = null;
        try
        {
            var offset = 0;
            while (offset < rows.Count)
            {
                var count = Math.Min(SqliteRowsPerStatement, rows.Count - offset);
                var command = count == SqliteRowsPerStatement ? full ??= InsertCommand(connection, transaction, count) : InsertCommand(connection, transaction, count);
                try
                {
                    var p = 0;
                    for (var r = 0; r < count; r++)
                    {
                        var entity = rows[offset + r];
                        for (var c = 0; c < _columns.Count; c++)
                        {
                            command.Parameters[p++].Value = ProviderValue(c, entity) ?? DBNull.Value;
                        }
                    }
                    await command.ExecuteNonQueryAsync(ct);
                }
                finally
                {
                    if (command != full)
                    {
                        await command.DisposeAsync();
                    }
                }
                offset += count;
            }
        }
        finally
        {
            if (full is not null)
            {
                await full.DisposeAsync();
            }
        }
    }

    private SqliteCommand InsertCommand(SqliteConnection connection, SqliteTransaction transaction, int rows)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        var values = new List<string>(rows);
        for (var r = 0; r < rows; r++)
        {
            var names = new List<string>(_columns.Count);
            for (var c = 0; c < _columns.Count; c++)
            {
                var name = Report.Inv($"@p{r}_{c}");
                names.Add(name);
                // The mapping sets the SQLite type (Guid as TEXT, as EF stores it).
                command.Parameters.Add(_mappings[c].CreateParameter(command, name, null, nullable: true));
            }
            values.Add("(" + string.Join(", ", names) + ")");
        }
        command.CommandText = $"INSERT INTO \"{_table}\" ({string.Join(", ", _columns.Select(c => $"\"{c}\""))}) VALUES {string.Join(", ", values)}";
        return command;
    }

    private async Task WriteCopyAsync(NpgsqlConnection connection, IReadOnlyList<T> rows, CancellationToken ct)
    {
        var copy = $"COPY \"{_table}\" ({string.Join(", ", _columns.Select(c => $"\"{c}\""))}) FROM STDIN (FORMAT BINARY)";
        await using var importer = await connection.BeginBinaryImportAsync(copy, ct);
        foreach (var entity in rows)
        {
            await importer.StartRowAsync(ct);
            for (var c = 0; c < _columns.Count; c++)
            {
                if (ProviderValue(c, entity) is { } value)
                {
                    await importer.WriteAsync(value, _storeTypes[c], ct);
                }
                else
                {
                    await importer.WriteNullAsync(ct);
                }
            }
        }
        await importer.CompleteAsync(ct);
    }
}
