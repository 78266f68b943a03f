namespace EtlActors.Pipeline.Connectors.Http.Config;

/// <summary>One thing wrong with an HTTP source config, where it is.</summary>
/// <param name="Line">1-based line in the YAML.</param>
/// <param name="Column">1-based column on that line.</param>
/// <param name="Message">What is wrong, without the config's name or position (no secret's value: it is redacted).</param>
public sealed record ConfigProblem(long Line, long Column, string Message)
{
    /// <summary>The problem as a compiler would print it: <c>&lt;name&gt;:&lt;line&gt;:&lt;col&gt;: &lt;message&gt;</c>.</summary>
    public string Format(string name) => $"{name}:{Line}:{Column}: {Message}";
}

/// <summary>
/// An HTTP source config that cannot be used. <see cref="Problems"/> holds every problem found, in the order of the
/// file; the message is one line per problem (<see cref="ConfigProblem.Format"/>), so a user fixes them all in one go.
/// </summary>
public sealed class HttpSourceConfigException : Exception
{
    /// <summary>A config named <paramref name="name"/> with <paramref name="problems"/> (at least one).</summary>
    public HttpSourceConfigException(string name, IReadOnlyList<ConfigProblem> problems)
        : base(string.Join("\n", problems.Select(p => p.Format(name))))
    {
        ConfigName = name;
        Problems = problems;
    }

    /// <summary>The config as the user named it (a file path, or what a job calls it).</summary>
    public string ConfigName { get; }

    /// <summary>Every problem found, by line and column.</summary>
    public IReadOnlyList<ConfigProblem> Problems { get; }
}
