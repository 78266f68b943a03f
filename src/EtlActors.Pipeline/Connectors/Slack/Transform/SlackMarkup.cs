namespace EtlActors.Pipeline.Connectors.Slack.Transform;
// TEMPORARY STUB (replaced by the helper's file)
public static class SlackMarkup
{
    public static string ToPlainText(string? text, Func<string, string?> userName) => text ?? "";
}
