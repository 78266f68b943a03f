using System.Text.RegularExpressions;
using EtlActors.Testing.Processes;

namespace EtlActors.IntegrationTests.Support;

/// <summary>
/// The version Directory.Build.props sets. Read from the file, not from an assembly: the tests check that this one
/// place sets every version the tools, the nodes and the packages show.
/// </summary>
public static partial class RepoVersion
{
    public static string Current { get; } =
        VersionElement().Match(File.ReadAllText(Path.Combine(Binaries.RepoRoot, "Directory.Build.props"))) is { Success: true } m
            ? m.Groups[1].Value
            : throw new InvalidOperationException("no <Version> in Directory.Build.props");

    [GeneratedRegex("<Version>([^<]+)</Version>")]
    private static partial Regex VersionElement();
}
