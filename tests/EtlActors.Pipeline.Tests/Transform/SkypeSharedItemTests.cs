using EtlActors.Pipeline.Connectors.Skype.Transform;
using static EtlActors.Pipeline.Tests.Transform.SkypeTestRecords;

namespace EtlActors.Pipeline.Tests.Transform;

/// <summary>Polls, shared contacts and locations: each reads as one line naming what was shared (issue 19).</summary>
public class SkypeSharedItemTests
{
    // The location body as Skype writes it (Skyperious's capture of a RichText/Location message), numbers aside.
    private const string Downing = """<location isUserLocation="0" latitude="51503400" longitude="-127600" timeStamp="1594466640235" timezone="Europe/London" locale="en-GB" language="en" address="10 Downing St, London SW1A 2AA, United Kingdom" addressFriendlyName="10 Downing St" shortAddress="10 Downing St, London" userMri="8:live:me"><a href="https://www.bing.com/maps/default.aspx?cp=51.5034~-0.1276&amp;dir=0&amp;lvl=15">10 Downing St, London SW1A 2AA, United Kingdom</a></location>""";

    [Theory]
    [InlineData("""<Poll><question>Which day suits you?</question><option votes="2">Saturday</option><option votes="1">Sunday</option></Poll>""", "Poll: Which day suits you? — Saturday / Sunday")]
    [InlineData("<Poll><Question>Lunch &amp; coffee?</Question><Option>Pizza</Option><Option>Sushi</Option><Option>Salad</Option></Poll>", "Poll: Lunch & coffee? — Pizza / Sushi / Salad")]
    [InlineData("<poll>\n  <question>\n   Where\n to?</question>\n  <option> <b>North</b> ridge </option>\n  <option>Lake<br/>shore</option>\n</poll>", "Poll: Where to? — North ridge / Lake shore")]
    [InlineData("<Poll><option>Yes</option><option>No</option></Poll>", "Poll: Yes / No")]
    [InlineData("<Poll><question>Anyone?</question></Poll>", "Poll: Anyone?")]
    [InlineData("<Poll><question>Q?</question><option>A<option>B</Poll>", "Poll: Q? — A / B")]
    [InlineData("<Poll><question>Q?</question><option> </option><option/><option>B</option></Poll>", "Poll: Q? — B")]
    [InlineData("<Poll><question>Truncated?</question><option>Y", "Poll: Truncated? — Y")]
    public void Poll_reads_as_its_question_then_its_options(string content, string expected)
    {
        Assert.Equal(expected, SkypeContent.ToPlainText("Poll", content));
    }

    [Theory]
    [InlineData("<Poll>Vote on the wiki</Poll>", "Vote on the wiki")]
    [InlineData("<Poll></Poll>", "")]
    [InlineData("<Poll/>", "")]
    [InlineData("Which <i>day</i>?", "Which day?")]
    public void Poll_of_an_unknown_shape_reads_as_its_text(string content, string expected)
    {
        Assert.Equal(expected, SkypeContent.ToPlainText("Poll", content));
    }

    [Theory]
    [InlineData("""<contacts><c t="s" s="live:bob" f="Bob Ng"/></contacts>""", "Contact: Bob Ng (live:bob)")]
    [InlineData("""<contacts><c t="s" s="username2" f="Display Name"></c></contacts>""", "Contact: Display Name (username2)")]
    [InlineData("""<contacts><c t="s" s="live:bob" f="Bob Ng"/><c t="s" s="live:ann" f="Ann &amp; Co"/></contacts>""", "Contacts: Bob Ng (live:bob), Ann & Co (live:ann)")]
    [InlineData("""<contacts><c t="s" s="live:bob"/></contacts>""", "Contact: live:bob")]
    [InlineData("<contacts><c t=\"s\" f=\" Bob\n       Ng \"/></contacts>", "Contact: Bob Ng")]
    [InlineData("""<contacts><c t="s" s="bob" f="bob"/></contacts>""", "Contact: bob")]
    [InlineData("""<contacts><c t="s"/><c s="" f=""/><c t="s" s="live:ann" f="Ann"/></contacts>""", "Contact: Ann (live:ann)")]
    [InlineData("""<CONTACTS><C T="s" S="live:bob" F="Bob"></CONTACTS>""", "Contact: Bob (live:bob)")]
    [InlineData("""<contacts><c t=s s=live:bob f=Bob />""", "Contact: Bob (live:bob)")]
    public void Shared_contacts_read_as_name_and_id(string content, string expected)
    {
        Assert.Equal(expected, SkypeContent.ToPlainText("RichText/Contacts", content));
    }

    [Theory]
    [InlineData("<contacts></contacts>", "")]
    [InlineData("<contacts/>", "")]
    [InlineData("""<contacts><c t="s"/></contacts>""", "")]
    [InlineData("<contacts>see Bob</contacts>", "see Bob")]
    [InlineData("""<contacts><c t="s" s="live:bob" f="Bob""", """<c t="s" s="live:bob" f="Bob""")]
    public void Contacts_without_a_usable_contact_read_as_their_text(string content, string expected)
    {
        Assert.Equal(expected, SkypeContent.ToPlainText("RichText/Contacts", content));
    }

    [Fact]
    public void Location_reads_as_its_address_and_coordinates()
    {
        Assert.Equal("Location: 10 Downing St, London SW1A 2AA, United Kingdom (51.5034, -0.1276)",
            SkypeContent.ToPlainText("RichText/Location", Downing));
    }

    [Theory]
    [InlineData("""<location latitude="59436810" longitude="24740695" addressFriendlyName="Kesklinn, Tallinn"/>""", "Location: Kesklinn, Tallinn (59.43681, 24.740695)")]
    [InlineData("""<location latitude="59436810" longitude="24740695" shortAddress="Tallinn"></location>""", "Location: Tallinn (59.43681, 24.740695)")]
    [InlineData("""<location latitude="1" longitude="-1"><a href="https://x">Harbour Caf&eacute;</a></location>""", "Location: Harbour Café (0.000001, -0.000001)")]
    [InlineData("""<location latitude="-33.8568" longitude="151.2153" address="Sydney Opera House"/>""", "Location: Sydney Opera House (-33.8568, 151.2153)")]
    [InlineData("""<location latitude="0" longitude="-0" address="Null Island"/>""", "Location: Null Island (0, 0)")]
    [InlineData("""<location latitude="-0.0000001" longitude="0" address="Rounded"/>""", "Location: Rounded (0, 0)")]
    [InlineData("""<location latitude="51503400" longitude="-127600"/>""", "Location: 51.5034, -0.1276")]
    [InlineData("""<location address="10 Downing St"/>""", "Location: 10 Downing St")]
    public void Location_shows_what_it_has(string content, string expected)
    {
        Assert.Equal(expected, SkypeContent.ToPlainText("RichText/Location", content));
    }

    [Theory]
    [InlineData("""<location latitude="north" longitude="-127600" address="A"/>""", "Location: A")]
    [InlineData("""<location latitude="51503400" address="A"/>""", "Location: A")]
    [InlineData("""<location latitude="91000000" longitude="0" address="A"/>""", "Location: A")]
    [InlineData("""<location latitude="0" longitude="180.5" address="A"/>""", "Location: A")]
    [InlineData("""<location latitude="5e7" longitude="1e7" address="A"/>""", "Location: A")]
    [InlineData("""<location latitude="1,5" longitude="2" address="A"/>""", "Location: A")]
    [InlineData("""<location latitude="NaN" longitude="Infinity" address="A"/>""", "Location: A")]
    [InlineData("""<location latitude="99999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999" longitude="0" address="A"/>""", "Location: A")]
    [InlineData("""<location address="  " latitude="" longitude=""></location>""", "")]
    [InlineData("<location>", "")]
    [InlineData("<location></location>", "")]
    public void Unreadable_coordinates_are_left_out_rather_than_guessed(string content, string expected)
    {
        Assert.Equal(expected, SkypeContent.ToPlainText("RichText/Location", content));
    }

    [Fact]
    public void Items_read_the_same_inside_other_text()
    {
        Assert.Equal("Meet here: Location: Pier 39 (37.8087, -122.4098) ok?",
            SkypeContent.ToPlainText("RichText", """Meet here: <location latitude="37808700" longitude="-122409800" address="Pier 39"/> ok?"""));
    }

    [Theory]
    [InlineData("Poll", """<Poll><question>Q?</question><option>A</option></Poll>""", "Poll: Q? — A")]
    [InlineData("RichText/Contacts", """<contacts><c t="s" s="live:bob" f="Bob Ng"/></contacts>""", "Contact: Bob Ng (live:bob)")]
    [InlineData("RichText/Location", Downing, "Location: 10 Downing St, London SW1A 2AA, United Kingdom (51.5034, -0.1276)")]
    public void Shared_item_messages_load_with_their_line_as_content_text(string type, string content, string expected)
    {
        var result = Message(MessageJson(type: type, content: content));

        var message = Assert.Single(result.Messages);
        Assert.Equal(expected, message.ContentText);
        Assert.Equal(content, message.ContentRaw);
        Assert.Empty(result.Quarantined);
    }
}
