using EtlActors.Pipeline.Connectors.Skype.Transform;

namespace EtlActors.Pipeline.Tests.Transform;

public class SkypeTimestampsTests
{
    [Theory]
    [InlineData("2020-07-15T13:22:34.321Z", 34, 321)]
    [InlineData("2020-07-15T13:22:34.3Z", 34, 300)]
    [InlineData("2020-07-15T13:22:34Z", 34, 0)]
    [InlineData("2020-07-15T13:22Z", 0, 0)]
    [InlineData("2020-07-15T13:22:34", 34, 0)]
    [InlineData("2020-07-15 13:22:34.321", 34, 321)]
    [InlineData("2020-07-15T15:22:34.321+02:00", 34, 321)]
    [InlineData("2020-07-15T08:22:34.321-05:00", 34, 321)]
    [InlineData("1594819354321", 34, 321)]
    [InlineData(" 1594819354321.0 ", 34, 321)]
    public void Parses_the_timestamp_forms_of_real_exports_as_utc(string text, int seconds, int ms)
    {
        Assert.True(SkypeTimestamps.TryParse(text, out var value));

        Assert.Equal(new DateTimeOffset(2020, 7, 15, 13, 22, seconds, ms, TimeSpan.Zero), value);
        Assert.Equal(TimeSpan.Zero, value.Offset);
    }

    [Fact]
    public void Fractions_beyond_ticks_are_truncated_rather_than_rejected()
    {
        Assert.True(SkypeTimestamps.TryParse("2020-07-15T13:22:34.123456789Z", out var value));

        Assert.Equal(new DateTimeOffset(2020, 7, 15, 13, 22, 34, TimeSpan.Zero).AddTicks(1234567), value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("yesterday")]
    [InlineData("15/07/2020 13:22")]
    [InlineData("2020-07-15")]
    [InlineData("99999999999999999999")]
    [InlineData("-")]
    [InlineData("1.2.3")]
    public void Rejects_what_is_not_a_timestamp(string? text)
    {
        Assert.False(SkypeTimestamps.TryParse(text, out _));
        Assert.Null(SkypeTimestamps.ParseOrNull(text));
    }

    [Fact]
    public void Epoch_milliseconds_outside_the_calendar_are_rejected()
    {
        Assert.False(SkypeTimestamps.TryFromEpochMilliseconds(double.MaxValue, out _));
        Assert.False(SkypeTimestamps.TryFromEpochMilliseconds(double.NaN, out _));
        Assert.True(SkypeTimestamps.TryFromEpochMilliseconds(0, out var epoch));
        Assert.Equal(DateTimeOffset.UnixEpoch, epoch);
    }
}
