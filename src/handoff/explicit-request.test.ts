import { describe, expect, it } from 'vitest';
import { matchExplicitRequest } from './explicit-request.ts';

describe('an explicit request for a person', () => {
  it.each([
    'I want to talk to a human agent, please.',
    'Can I speak to a real person?',
    'Let me talk with someone real.',
    'I need to speak with a representative',
    'Please connect me to an agent.',
    'Transfer me to a human.',
    'Could you put me through to customer service?',
    'Get me a human!',
    'I want a real person',
    'Can I have an operator, please?',
    'Agent!',
    'representative please',
    'Human, please.',
    "I'd like to talk to your manager.",
    'Is there any way to speak to someone?',
    'why can’t I just talk to a person',
    'No, I want to talk to a human.',
    'Is it possible to chat with a live agent?',
    'escalate this to a supervisor',
  ])('hears “%s”', (text) => {
    expect(matchExplicitRequest(text)).not.toBeNull();
  });

  it.each([
    'What is the capital of France?',
    'Am I talking to a human?',
    'Are you a real person?',
    'Is this a real person?',
    "I don't want to talk to a human.",
    'No need to talk to an agent, thanks.',
    'I never asked to speak to a representative',
    'I have an agent who handles my bookings.',
    'My sister is a real estate agent.',
    'Tell me about secret agents in films.',
    'How do I become a better person?',
    'I like talking about people.',
    '',
  ])('does not hear one in “%s”', (text) => {
    expect(matchExplicitRequest(text)).toBeNull();
  });

  it('returns the phrase that matched, as the reason’s detail', () => {
    expect(matchExplicitRequest('Honestly, just let me speak to a real person now.')).toBe('speak to a real person');
  });
});
