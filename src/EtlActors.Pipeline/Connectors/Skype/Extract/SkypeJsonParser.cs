using System.Text;
using System.Text.Json;
using EtlActors.Pipeline.Records;

namespace EtlActors.Pipeline.Connectors.Skype.Extract;

/// <summary>
/// The Skype export grammar as a resumable state machine over a <see cref="JsonChunkBuffer"/>.
/// Each <see cref="Step"/> reads one unit (a token, a field or a whole record) and commits it
/// only when it is complete, so a step that runs out of data is simply repeated after a refill.
/// </summary>
internal sealed class SkypeJsonParser
{
    private enum State { Document, TopLevel, SkipValue, Conversations, InConversations, InConversation, MessageList, InMessages, Done }

    private readonly JsonChunkBuffer _buffer;
    private readonly ConversationPayload _conversation;
    private State _state = State.Document;
    private int _skipDepth;
    private bool _sawConversations;
    private long _nextOffset;

    public SkypeJsonParser(JsonChunkBuffer buffer, SkypeReaderOptions options, ReaderStats? stats)
    {
        _buffer = buffer;
        _conversation = new ConversationPayload(options.MaxRecordBytes, stats);
    }

    /// <summary>Where the conversation being read starts in the stream.</summary>
    public long ConversationStart => _conversation.StartPosition;

    /// <summary>Sets the id found by looking ahead, for the messages read before it.</summary>
    public void SetConversationId(string id) => _conversation.Id = id;

    public ParseStep Step(out ExtractedRecord? record)
    {
        record = null;
        var reader = _buffer.CreateReader();
        try
        {
            if (!reader.Read())
            {
                return ParseStep.NeedMoreData;
            }

            return _state switch
            {
                State.Document => ReadDocument(ref reader),
                State.TopLevel => ReadTopLevel(ref reader),
                State.SkipValue => SkipToken(ref reader),
                State.Conversations => ReadConversations(ref reader),
                State.InConversations => ReadConversationStart(ref reader, out record),
                State.InConversation => ReadConversationField(ref reader, out record),
                State.MessageList => ReadMessageList(ref reader),
                State.InMessages => ReadMessage(ref reader, out record),
                _ => ParseStep.Done,
            };
        }
        catch (JsonException exception)
        {
            throw _buffer.Wrap(exception);
        }
    }

    private ParseStep ReadDocument(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw _buffer.ErrorAtReader("the top level is not a JSON object", reader.TokenStartIndex);
        }

        return Advance(ref reader, State.TopLevel);
    }

    private ParseStep ReadTopLevel(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.EndObject)
        {
            if (!_sawConversations)
            {
                throw _buffer.ErrorAtReader("the export holds no \"conversations\" array", reader.TokenStartIndex);
            }

            Advance(ref reader, State.Done);
            return ParseStep.Done;
        }

        if (reader.ValueTextEquals("conversations"u8))
        {
            return Advance(ref reader, State.Conversations);
        }

        // Unknown or unused fields (userId, exportDate, …) are skipped a token at a time, so
        // even a huge one never has to fit in the buffer whole.
        _skipDepth = reader.CurrentDepth;
        return Advance(ref reader, State.SkipValue);
    }

    private ParseStep SkipToken(ref Utf8JsonReader reader)
    {
        var finished = reader.CurrentDepth == _skipDepth
            && reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray);
        return Advance(ref reader, finished ? State.TopLevel : State.SkipValue);
    }

    private ParseStep ReadConversations(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw _buffer.ErrorAtReader("\"conversations\" is not an array", reader.TokenStartIndex);
        }

        _sawConversations = true;
        return Advance(ref reader, State.InConversations);
    }

    private ParseStep ReadConversationStart(ref Utf8JsonReader reader, out ExtractedRecord? record)
    {
        record = null;
        if (reader.TokenType == JsonTokenType.EndArray)
        {
            return Advance(ref reader, State.TopLevel);
        }

        if (reader.TokenType == JsonTokenType.StartObject)
        {
            _conversation.Begin(_buffer.Position + reader.TokenStartIndex);
            return Advance(ref reader, State.InConversation);
        }

        // Not an object: pass it on as it is, for the transformer to quarantine.
        if (!TryReadValue(ref reader, out var raw))
        {
            return ParseStep.NeedMoreData;
        }

        _buffer.Commit(reader);
        record = Emit(RecordKind.Conversation, string.Empty, raw);
        return ParseStep.Record;
    }

    private ParseStep ReadConversationField(ref Utf8JsonReader reader, out ExtractedRecord? record)
    {
        record = null;
        if (reader.TokenType == JsonTokenType.EndObject)
        {
            _buffer.Commit(reader);
            _state = State.InConversations;
            record = new ExtractedRecord(_nextOffset++, RecordKind.Conversation, _conversation.Id ?? string.Empty, _conversation.Finish());
            return ParseStep.Record;
        }

        if (reader.ValueTextEquals("MessageList"u8))
        {
            Advance(ref reader, State.MessageList);
            return _conversation.Id is null ? ParseStep.NeedConversationId : ParseStep.Continue;
        }

        // The name and its value are one unit: committed together or re-read after a refill.
        var isId = reader.ValueTextEquals("id"u8);
        var name = reader.ValueSpan;
        var nameStart = reader.TokenStartIndex;
        if (!reader.Read() || !TryReadValue(ref reader, out var raw))
        {
            return ParseStep.NeedMoreData;
        }

        if (!_conversation.TryAdd(name, raw))
        {
            throw _buffer.ErrorAtReader($"record larger than {_conversation.MaxBytes} bytes", nameStart);
        }

        _buffer.Commit(reader);
        if (isId && reader.TokenType == JsonTokenType.String && _conversation.Id is null)
        {
            _conversation.Id = ConversationIdProbe.DecodeId(ref reader);
        }

        return ParseStep.Continue;
    }

    private ParseStep ReadMessageList(ref Utf8JsonReader reader)
    {
        return reader.TokenType switch
        {
            JsonTokenType.StartArray => Advance(ref reader, State.InMessages),
            JsonTokenType.Null => Advance(ref reader, State.InConversation),
            _ => throw _buffer.ErrorAtReader("\"MessageList\" is not an array", reader.TokenStartIndex),
        };
    }

    private ParseStep ReadMessage(ref Utf8JsonReader reader, out ExtractedRecord? record)
    {
        record = null;
        if (reader.TokenType == JsonTokenType.EndArray)
        {
            return Advance(ref reader, State.InConversation);
        }

        if (!TryReadValue(ref reader, out var raw))
        {
            return ParseStep.NeedMoreData;
        }

        _buffer.Commit(reader);
        record = Emit(RecordKind.Message, _conversation.Id ?? string.Empty, raw);
        return ParseStep.Record;
    }

    /// <summary>Reads the whole value the reader is on; false when it is not all in the buffer.</summary>
    private bool TryReadValue(ref Utf8JsonReader reader, out ReadOnlySpan<byte> raw)
    {
        var start = reader.TokenStartIndex;
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && !reader.TrySkip())
        {
            raw = default;
            return false;
        }

        raw = _buffer.Slice(start, reader.BytesConsumed);
        return true;
    }

    private ExtractedRecord Emit(RecordKind kind, string conversationId, ReadOnlySpan<byte> raw) =>
        new(_nextOffset++, kind, conversationId, Encoding.UTF8.GetString(raw));

    private ParseStep Advance(ref Utf8JsonReader reader, State next)
    {
        _buffer.Commit(reader);
        _state = next;
        return ParseStep.Continue;
    }
}
