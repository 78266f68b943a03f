using System.Diagnostics;
using EtlActors.Pipeline.Connectors.Skype.Transform;
using static EtlActors.Pipeline.Tests.Transform.SkypeTestRecords;

namespace EtlActors.Pipeline.Tests.Transform;

/// <summary>
/// Content is user-controlled; a quadratic scanner would let one message stall a transformer.
/// Each case is a megabyte that a linear scanner handles in milliseconds; the bound is generous so a
/// busy machine does not flake it, while quadratic work (~10^12 steps) would take minutes.
/// </summary>
public class SkypeHostileMarkupTests
{
    private const int Megabyte = 1 << 20;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    public static TheoryData<string, string> HostileContents => new()
    {
        { "lt", new string('<', Megabyte) },
        { "open tags never closed", Repeat("<a", Megabyte) },
        { "unterminated quoted attributes", Repeat("<a x=\"", Megabyte) },
        { "unterminated end tags", Repeat("</b", Megabyte) },
        { "unterminated comments", Repeat("<!--", Megabyte) },
        { "deep nesting then stray closes", Repeat("<b>", Megabyte / 2) + Repeat("</i>", Megabyte / 2) },
        { "entity soup", Repeat("&#x", Megabyte) },
        { "uriobjects nested", Repeat("<URIObject>", Megabyte) },
        { "polls nested", Repeat("<Poll><option>", Megabyte) },
        { "contacts nested", Repeat("<contacts><c s=\"x\" f=\"y\"/>", Megabyte) },
        { "locations nested", Repeat("<location latitude=\"1\" longitude=\"2\" address=\"a\">", Megabyte) },
        { "self-closing locations", Repeat("<location latitude=\"1\" longitude=\"2\"/>", Megabyte) },
        { "ampersands", new string('&', Megabyte) },
    };

    [Theory]
    [MemberData(nameof(HostileContents))]
    public void Hostile_rich_text_finishes_quickly(string name, string content)
    {
        AssertQuick(name, () => SkypeContent.ToPlainText("RichText", content));
    }

    [Theory]
    [MemberData(nameof(HostileContents))]
    public void Hostile_event_bodies_finish_quickly(string name, string content)
    {
        AssertQuick(name + " (call)", () => SkypeContent.ToPlainText("Event/Call", content));
        AssertQuick(name + " (activity)", () => SkypeContent.ToPlainText("ThreadActivity/AddMember", content));
    }

    [Fact]
    public void Megabyte_of_lt_is_kept_as_text()
    {
        var content = new string('<', Megabyte);

        Assert.Equal(content, SkypeContent.ToPlainText("RichText", content));
    }

    [Fact]
    public void Hostile_message_still_loads_as_one_row()
    {
        var payload = MessageJson(content: Repeat("<a x=\"", Megabyte / 8));

        var result = Message(payload);

        Assert.Single(result.Messages);
        Assert.Empty(result.Quarantined);
    }

    private static void AssertQuick(string name, Func<string> transform)
    {
        var watch = Stopwatch.StartNew();
        transform();
        watch.Stop();
        Assert.True(watch.Elapsed < Bound, $"{name} took {watch.Elapsed}");
    }

    private static string Repeat(string unit, int totalLength) =>
        string.Concat(Enumerable.Repeat(unit, totalLength / unit.Length));
}
