import { describe, expect, it } from 'vitest';
import { findTransferCall, stripToolCalls } from './tool-call.ts';

describe('the transfer_to_human tool call in a reply', () => {
  it('is found as a function call, with its arguments as the detail', () => {
    expect(findTransferCall('Let me get you someone.\ntransfer_to_human(reason="refund request")')).toEqual({
      detail: 'transfer_to_human(reason="refund request")',
      stated: false,
    });
    expect(findTransferCall('`transfer_to_human()`')).toEqual({ detail: 'transfer_to_human()', stated: false });
  });

  it('is found as a JSON tool call, in tool_call tags or not', () => {
    const reply = 'One moment.\n<tool_call>\n{"name": "transfer_to_human", "arguments": {"reason": "angry caller"}}\n</tool_call>';
    expect(findTransferCall(reply)).toEqual({ detail: 'transfer_to_human(reason="angry caller")', stated: false });
    expect(findTransferCall('{"name":"transfer_to_human","arguments":{}}')?.detail).toBe('transfer_to_human()');
  });

  it('is also read from a promise in words, which stays in the reply', () => {
    const reply = 'I will transfer you to a human agent now.';
    expect(findTransferCall(reply)).toEqual({ detail: 'stated in the reply: "i will transfer you to a human agent"', stated: true });
    expect(findTransferCall("Sure, I'll connect you with a representative.")?.stated).toBe(true);
    expect(stripToolCalls(reply)).toBe(reply);
  });

  it('is not found in ordinary replies, or in a refusal to transfer', () => {
    expect(findTransferCall('The capital of France is Paris.')).toBeNull();
    expect(findTransferCall("I can't transfer you to a human, but I can help.")).toBeNull();
    expect(findTransferCall('Someone may transfer you money.')).toBeNull();
  });

  it('is removed before the reply is spoken or kept', () => {
    expect(stripToolCalls('Let me get you someone.\ntransfer_to_human(reason="refund")')).toBe('Let me get you someone.');
    expect(stripToolCalls('One moment. <tool_call>{"name": "transfer_to_human", "arguments": {"reason": "x"}}</tool_call>')).toBe('One moment.');
    expect(stripToolCalls('transfer_to_human()')).toBe('');
    expect(stripToolCalls('Plain reply.')).toBe('Plain reply.');
  });
});
