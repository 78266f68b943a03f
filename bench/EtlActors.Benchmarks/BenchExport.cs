using System.Globalization;
using EtlActors.Testing;

namespace EtlActors.Benchmarks;

/// <summary>Which synthetic export a run feeds to `etl run`; etl itself tells them apart by content.</summary>
internal enum BenchSource
{
    /// <summary>A Skype export <c>.tar</c> (<see cref="SyntheticSkypeExport"/>): the default.</summary>
    Skype,

    /// <summary>A Slack workspace export <c>.zip</c> (<see cref="SyntheticSlackExport"/>): <c>--slack</c>.</summary>
    Slack,
}

/// <summary>A generated export: where it is, what it holds, and how it is described in the report.</summary>
internal sealed record GeneratedExport(string Path, BenchSource Source, int Messages, int Conversations, long Bytes, string Detail)
{
    /// <summary>The one place that knows each source's generator, file name and seed, so every run mode shares them.</summary>
    public static GeneratedExport Write(BenchSource source, string folder, int messages, int conversations)
    {
        var label = messages.ToString(CultureInfo.InvariantCulture);
        switch (source)
        {
            case BenchSource.Slack:
                var zip = System.IO.Path.Combine(folder, $"slack-{label}.zip");
                var slack = SyntheticSlackExport.Write(zip, new SyntheticSlackOptions(messages, conversations, Seed: Seed, AsZip: true));
                return new GeneratedExport(zip, source, slack.MessageCount, slack.ConversationCount, slack.Bytes,
                    string.Create(CultureInfo.InvariantCulture,
                        $".zip of {slack.UncompressedBytes / (1024.0 * 1024.0):0} MB JSON in {slack.DayFiles:N0} day files, {slack.UserCount} users, {slack.Replies:N0} thread replies"));
            default:
                var tar = System.IO.Path.Combine(folder, $"skype-{label}.tar");
                var skype = SyntheticSkypeExport.Write(tar, new SyntheticExportOptions(messages, conversations, Seed: Seed, AsTar: true));
                return new GeneratedExport(tar, source, skype.Messages, skype.Conversations, skype.Bytes, ".tar");
        }
    }

    public const int Seed = 42;

    /// <summary>How the report names the input, e.g. in the header.</summary>
    public static string Describe(BenchSource source) => source switch
    {
        BenchSource.Slack => $"Slack workspace export .zip, seed {Seed}",
        _ => $"Skype export .tar, seed {Seed}",
    };
}
