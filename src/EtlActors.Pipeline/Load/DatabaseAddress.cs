using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace EtlActors.Pipeline.Load;

/// <summary>Which database engine an address names.</summary>
public enum DatabaseKind
{
    Sqlite = 1,
    PostgreSql = 2,
}

/// <summary>
/// A database, for a sink (where a job loads) and for a journal (where job state is kept) alike: <c>sqlite:&lt;file&gt;</c> or
/// <c>postgresql://user[:password]@host[:port]/database[?schema=etl]</c>.
/// <see cref="ToString"/> is safe to print; only <see cref="ToConnectionString"/> carries the password.
/// </summary>
public sealed partial class DatabaseAddress
{
    public const string DefaultSchema = "etl";
    public const int DefaultPort = 5432;
    internal const string Usage = "sink must be sqlite:<file> or postgresql://user@host:port/database";

    private readonly string? _password;

    private DatabaseAddress(DatabaseKind kind, string? sqlitePath, string? host, int port, string? database, string? user, string? password, string schema)
    {
        Kind = kind;
        SqlitePath = sqlitePath;
        Host = host;
        Port = port;
        Database = database;
        User = user;
        _password = password;
        Schema = schema;
    }

    public DatabaseKind Kind { get; }

    /// <summary>Full path of the SQLite file (resolved against the working directory at parse time).</summary>
    public string? SqlitePath { get; }

    public string? Host { get; }
    public int Port { get; }
    public string? Database { get; }
    public string? User { get; }

    /// <summary>PostgreSQL schema of the tables; SQLite has none and ignores it.</summary>
    public string Schema { get; }

    /// <summary>The address without its password.</summary>
    public string Description => ToString();

    public static DatabaseAddress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Trim();
        if (text.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
            return ParseSqlite(text["sqlite:".Length..]);
        foreach (var scheme in (ReadOnlySpan<string>)["postgresql://", "postgres://"])
        {
            if (text.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
                return ParsePostgres(text[scheme.Length..]);
        }
        throw Invalid("it starts with neither sqlite: nor postgresql://");
    }

    public string ToConnectionString() => Kind switch
    {
        DatabaseKind.Sqlite => new SqliteConnectionStringBuilder
        {
            DataSource = SqlitePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            // The sink keeps one connection for its whole life; a pool would only keep the file open after it.
            Pooling = false,
        }.ToString(),
        _ => new NpgsqlConnectionStringBuilder
        {
            Host = Host,
            Port = Port,
            Database = Database,
            Username = User,
            Password = _password,
        }.ToString(),
    };

    public override string ToString() => Kind switch
    {
        DatabaseKind.Sqlite => "sqlite:" + SqlitePath,
        _ => $"postgresql://{Uri.EscapeDataString(User!)}@{FormatHost(Host!)}:{Port}/{Uri.EscapeDataString(Database!)}"
             + (Schema == DefaultSchema ? "" : "?schema=" + Schema),
    };

    private static DatabaseAddress ParseSqlite(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw Invalid("the SQLite file name is missing");
        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw Invalid("the SQLite file name is not a valid path");
        }
        return new DatabaseAddress(DatabaseKind.Sqlite, full, null, 0, null, null, null, DefaultSchema);
    }

    // Parsed by hand rather than with Uri so that no error message can quote the password back.
    private static DatabaseAddress ParsePostgres(string rest)
    {
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
            throw Invalid("the /database part is missing");
        var authority = rest[..slash];
        var at = authority.LastIndexOf('@');
        if (at <= 0)
            throw Invalid("the user is missing (user@host)");
        var (user, password) = SplitUserInfo(authority[..at]);
        var (host, port) = SplitHostPort(authority[(at + 1)..]);

        var pathAndQuery = rest[(slash + 1)..];
        var question = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        var database = Unescape(question < 0 ? pathAndQuery : pathAndQuery[..question]);
        if (database.Length == 0 || database.Contains('/', StringComparison.Ordinal))
            throw Invalid("the database name is missing or contains '/'");
        var schema = question < 0 ? DefaultSchema : ParseQuery(pathAndQuery[(question + 1)..]);

        password ??= Environment.GetEnvironmentVariable("PGPASSWORD");
        return new DatabaseAddress(DatabaseKind.PostgreSql, null, host, port, database, user, password, schema);
    }

    private static (string User, string? Password) SplitUserInfo(string userInfo)
    {
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        var user = Unescape(colon < 0 ? userInfo : userInfo[..colon]);
        if (user.Length == 0)
            throw Invalid("the user is missing (user@host)");
        var password = colon < 0 ? null : Unescape(userInfo[(colon + 1)..]);
        return (user, password);
    }

    private static (string Host, int Port) SplitHostPort(string hostPort)
    {
        string host;
        string? portText = null;
        if (hostPort.StartsWith('['))
        {
            var close = hostPort.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
                throw Invalid("the IPv6 host has no closing ']'");
            host = hostPort[1..close];
            var after = hostPort[(close + 1)..];
            if (after.Length > 0)
                portText = after.StartsWith(':') ? after[1..] : throw Invalid("unexpected text after the host");
        }
        else
        {
            var colon = hostPort.LastIndexOf(':');
            host = colon < 0 ? hostPort : hostPort[..colon];
            portText = colon < 0 ? null : hostPort[(colon + 1)..];
        }
        if (host.Length == 0)
            throw Invalid("the host is missing");
        var port = DefaultPort;
        if (portText is not null && (!int.TryParse(portText, out port) || port is < 1 or > 65535))
            throw Invalid("the port must be a number from 1 to 65535");
        return (host, port);
    }

    private static string ParseQuery(string query)
    {
        var schema = DefaultSchema;
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Unescape(eq < 0 ? pair : pair[..eq]);
            if (!name.Equals("schema", StringComparison.Ordinal) || eq < 0)
                throw Invalid($"unknown parameter '{name}' (only ?schema=<name> is supported)");
            schema = Unescape(pair[(eq + 1)..]);
        }
        if (!IdentifierPattern().IsMatch(schema))
            throw Invalid($"schema '{schema}' is not a plain identifier (lower-case letters, digits and '_', not starting with a digit)");
        return schema;
    }

    // Malformed escapes stay as they are (Uri's rule), so this never fails and never quotes the text.
    private static string Unescape(string text) => Uri.UnescapeDataString(text);

    private static string FormatHost(string host) => host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;

    private static FormatException Invalid(string problem) => new($"{Usage}: {problem}");

    [GeneratedRegex("^[a-z_][a-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierPattern();
}
