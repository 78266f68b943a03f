using EtlActors.Pipeline.Connectors.Skype.Transform;

namespace EtlActors.Pipeline.Tests.Transform;

public class SkypeContentTests
{
    [Theory]
    [InlineData("Hello <b>world</b>", "Hello world")]
    [InlineData("<i>a</i><s>b</s><u>c</u><pre>d</pre>", "abcd")]
    [InlineData("x &amp; y &lt;3 &gt; &quot;q&quot; &apos;s&apos;", "x & y <3 > \"q\" 's'")]
    [InlineData("caf&eacute; &copy; &nbsp;ok", "café © ok")]
    [InlineData("&#65;&#x42;&#128512;", "AB😀")]
    [InlineData("&amp;lt;b&amp;gt;", "&lt;b&gt;")]
    [InlineData("&lt;b&gt;not a tag&lt;/b&gt;", "<b>not a tag</b>")]
    [InlineData("AT&T & friends", "AT&T & friends")]
    [InlineData("a < b and c<3", "a < b and c<3")]
    [InlineData("<!-- hidden -->shown", "shown")]
    public void Markup_is_removed_and_entities_decoded(string content, string expected)
    {
        Assert.Equal(expected, SkypeContent.ToPlainText("RichText", content));
    }

    [Theory]
    [InlineData("""Hi <ss type="smile">:)</ss>""", "Hi :)")]
    [InlineData("""<ss type="heart">(heart)</ss><ss type="like">(like)</ss>""", "(heart)(like)")]
    [InlineData("""<flag country="fi">(flag:fi)</flag>""", "(flag:fi)")]
    public void Emoticons_keep_their_text(string content, string expected)
    {
        Assert.Equal(expected, SkypeContent.ToPlainText("RichText", content));
    }

    [Theory]
    [InlineData("""See <a href="https://example.com/x?a=1&amp;b=2">example.com</a> now""", "See example.com now")]
    [InlineData("""<a href="https://example.com">https://example.com</a>""", "https://example.com")]
    [InlineData("""Ping <at id="8:live:bob">Bob</at>""", "Ping Bob")]
    public void Links_and_mentions_keep_their_visible_text(string content, string expected)
    {
        Assert.Equal(expected, SkypeContent.ToPlainText("RichText", content));
    }

    [Theory]
    [InlineData("RichText/UriObject", """<URIObject type="File.1" uri="https://api.asm.skype.com/v1/objects/0-neu-d1-x" url_thumbnail="https://x/views/thumbnail"><Title>Title: Q3 report.pdf</Title><Description> Description: Q3 report.pdf</Description><a href="https://login.skype.com/login/sso?go=webclient.xmm&amp;docid=0-neu">https://login.skype.com/login/sso?go=webclient.xmm&amp;docid=0-neu</a><OriginalName v="Q3 report &amp; notes.pdf"></OriginalName><FileSize v="52134"></FileSize></URIObject>""", "Q3 report & notes.pdf")]
    [InlineData("RichText/Media_GenericFile", """<URIObject type="File.1" uri="u"><OriginalName v="data.csv"/><FileSize v="10"/></URIObject>""", "data.csv")]
    [InlineData("RichText/Media_Video", """<URIObject type="Video.1/Message.1" uri="u"><Title>Title: holiday.mp4</Title><OriginalName v="" /></URIObject>""", "holiday.mp4")]
    [InlineData("RichText/Media_AudioMsg", """<URIObject type="Audio.1/Message.1" uri="u"><Title>Voice message</Title></URIObject>""", "Voice message")]
    [InlineData("RichText/UriObject", """<URIObject type="Picture.1" uri="u">To view this shared photo, go to: <a href="https://x">https://x</a></URIObject>""", "To view this shared photo, go to: https://x")]
    [InlineData("RichText", """Here: <URIObject type="File.1"><OriginalName v="a.txt"/></URIObject> thanks""", "Here: a.txt thanks")]
    public void Files_read_as_their_original_name_then_title_then_visible_text(string type, string content, string expected)
    {
        Assert.Equal(expected, SkypeContent.ToPlainText(type, content));
    }

    [Theory]
    [InlineData("""<partlist type="started" alt=""><part identity="8:live:me"><name>Me</name></part></partlist>""", "Call started")]
    [InlineData("""<partlist type="ended" alt=""><part identity="8:live:bob"><name>Bob</name><duration>125</duration></part></partlist>""", "Call ended (2m 5s)")]
    [InlineData("""<partlist type="ended" alt=""><part identity="8:live:bob"><name>Bob</name><duration>40</duration></part><part identity="8:live:me"><name>Me</name><duration>3725.6</duration></part></partlist>""", "Call ended (1h 2m 5s)")]
    [InlineData("""<partlist type="ended" alt=""><part identity="8:live:bob"><name>Bob</name><duration>9</duration></part></partlist>""", "Call ended (9s)")]
    [InlineData("""<partlist type="ended" alt=""><part identity="8:live:bob"><name>Bob</name></part></partlist>""", "Call ended")]
    [InlineData("""<partlist type="missed" alt=""><part identity="8:live:bob"><name>Bob</name></part></partlist>""", "Missed call")]
    [InlineData("""<partlist alt=""></partlist>""", "Call")]
    [InlineData("Call from Bob", "Call from Bob")]
    public void Calls_read_as_a_short_description(string content, string expected)
    {
        Assert.Equal(expected, SkypeContent.ToPlainText("Event/Call", content));
    }

    [Theory]
    [InlineData("ThreadActivity/AddMember", "<addmember><eventtime>1594819354321</eventtime><initiator>8:live:me</initiator><target>8:live:bob</target></addmember>", "8:live:me added 8:live:bob")]
    [InlineData("ThreadActivity/AddMember", "<addmember><eventtime>1</eventtime><initiator>8:live:me</initiator><target>8:live:bob</target><target>8:live:carol</target></addmember>", "8:live:me added 8:live:bob, 8:live:carol")]
    [InlineData("ThreadActivity/AddMember", "<addmember><eventtime>1</eventtime><initiator>8:live:bob</initiator><target>8:live:bob</target></addmember>", "8:live:bob joined")]
    [InlineData("ThreadActivity/DeleteMember", "<deletemember><eventtime>1</eventtime><initiator>8:live:me</initiator><target>8:live:bob</target></deletemember>", "8:live:me removed 8:live:bob")]
    [InlineData("ThreadActivity/DeleteMember", "<deletemember><eventtime>1</eventtime><initiator>8:live:bob</initiator><target>8:live:bob</target></deletemember>", "8:live:bob left")]
    [InlineData("ThreadActivity/TopicUpdate", "<topicupdate><eventtime>1</eventtime><initiator>8:live:me</initiator><value>Planning</value></topicupdate>", "8:live:me changed the topic to \"Planning\"")]
    [InlineData("ThreadActivity/TopicUpdate", "<topicupdate><eventtime>1</eventtime><value>Q&amp;A</value></topicupdate>", "Someone changed the topic to \"Q&A\"")]
    [InlineData("ThreadActivity/PictureUpdate", "<pictureupdate><eventtime>1</eventtime><initiator>8:live:me</initiator><value>URL@https://x</value></pictureupdate>", "8:live:me changed the conversation picture")]
    [InlineData("ThreadActivity/HistoryDisclosedUpdate", "<historydisclosedupdate><eventtime>1</eventtime><initiator>8:live:me</initiator><value>true</value></historydisclosedupdate>", "8:live:me made the chat history visible to new members")]
    [InlineData("ThreadActivity/HistoryDisclosedUpdate", "<historydisclosedupdate><eventtime>1</eventtime><initiator>8:live:me</initiator><value>false</value></historydisclosedupdate>", "8:live:me hid the chat history from new members")]
    [InlineData("ThreadActivity/JoiningEnabledUpdate", "<joiningenabledupdate><eventtime>1</eventtime><initiator>8:live:me</initiator><value>true</value></joiningenabledupdate>", "8:live:me enabled joining by link")]
    [InlineData("ThreadActivity/JoiningEnabledUpdate", "<joiningenabledupdate><eventtime>1</eventtime><initiator>8:live:me</initiator><value>false</value></joiningenabledupdate>", "8:live:me disabled joining by link")]
    [InlineData("ThreadActivity/RoleUpdate", "<roleupdate><eventtime>1</eventtime><initiator>8:live:me</initiator><target><id>8:live:bob</id><role>admin</role></target></roleupdate>", "8:live:me made 8:live:bob admin")]
    [InlineData("ThreadActivity/ExpireTimeUpdate", "<expiretimeupdate><eventtime>1</eventtime><initiator>8:live:me</initiator><value>60</value></expiretimeupdate>", "8:live:me updated the conversation")]
    [InlineData("ThreadActivity/AddMember", "plain words only", "plain words only")]
    public void Conversation_events_read_as_a_short_sentence(string type, string content, string expected)
    {
        Assert.Equal(expected, SkypeContent.ToPlainText(type, content));
    }

    [Theory]
    [InlineData("Notice", "<b>Heads up</b>: &quot;maintenance&quot;", "Heads up: \"maintenance\"")]
    [InlineData("Brand/NewType", "<future attr='1'>Text &#8364;5</future>", "Text €5")]
    [InlineData("Text", "plain &amp; simple", "plain & simple")]
    public void Notices_and_unknown_types_are_stripped_and_decoded(string type, string content, string expected)
    {
        Assert.Equal(expected, SkypeContent.ToPlainText(type, content));
    }

    [Theory]
    [InlineData("line one\nline two", "line one\nline two")]
    [InlineData("line one\r\nline two\rline three", "line one\nline two\nline three")]
    [InlineData("<b>a</b>\n<i>b</i>", "a\nb")]
    [InlineData("  lots   of \t spaces  ", "lots of spaces")]
    [InlineData("a <b> </b>  <i> b</i>", "a b")]
    [InlineData("first  \n   second", "first\nsecond")]
    [InlineData("\n\npara\n\nnext\n\n", "para\n\nnext")]
    [InlineData("a<br>b<br/>c", "a\nb\nc")]
    public void Whitespace_runs_collapse_but_line_breaks_from_the_text_stay(string content, string expected)
    {
        Assert.Equal(expected, SkypeContent.ToPlainText("RichText", content));
    }

    [Fact]
    public void Quoted_reply_reads_as_its_legacy_plain_text_form()
    {
        const string content = """<quote author="8:live:bob" authorname="Bob" timestamp="1594819354"><legacyquote>[13:22:34] Bob: </legacyquote>the question<legacyquote>&#10;&#10;&lt;&lt;&lt; </legacyquote></quote>the answer""";

        Assert.Equal("[13:22:34] Bob: the question\n\n<<< the answer", SkypeContent.ToPlainText("RichText", content));
    }

    [Fact]
    public void Edit_marker_adds_no_text()
    {
        Assert.Equal("fixed typo", SkypeContent.ToPlainText("RichText", """fixed typo<e_m ts="1594819999" a="live:me" t="61"/>"""));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void No_content_is_empty_text(string? content)
    {
        Assert.Equal("", SkypeContent.ToPlainText("RichText", content));
    }

    [Fact]
    public void Nul_characters_are_removed()
    {
        Assert.Equal("abc", SkypeContent.ToPlainText("RichText", "a\0b<b>\0c</b>"));
    }

    [Theory]
    [InlineData("x <b unclosed", "x <b unclosed")]
    [InlineData("x <a href=\"never closed>y", "x <a href=\"never closed>y")]
    [InlineData("ok <b>bold</b> then <!-- open", "ok bold then <!-- open")]
    [InlineData("stray </b> end", "stray end")]
    public void Unfinished_markup_is_kept_as_text_rather_than_swallowed(string content, string expected)
    {
        Assert.Equal(expected, SkypeContent.ToPlainText("RichText", content));
    }
}
