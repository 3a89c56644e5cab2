/** Public surface of the channels: what the engine, the API and the CLI import. */
export * from './channel.js';
export { bounceFromParsedMail } from './email/bounce.js';
export { EmailChannel } from './email/email-channel.js';
export {
  findReplyToken,
  type InboundEmail,
  inboundFromParsedMail,
  stripQuotedReply,
} from './email/inbound.js';
export {
  buildMessageId,
  createReplyToken,
  extractReplyToken,
  replyAddress,
  verifyReplyToken,
} from './email/reply-token.js';
export { parseSmtpUrl, type SmtpSettings } from './email/smtp-settings.js';
export { letterFromTemplate } from './letter/from-template.js';
export { LetterChannel } from './letter/letter-channel.js';
export { type PostalProvider, RecordingPostalProvider } from './letter/postal-provider.js';
export { renderLetterPdf } from './letter/render-letter.js';
export { type Channels, createChannels, parseOrgChannelSettings } from './registry.js';
export { checkSenderId, normalisePhone } from './sms/addressing.js';
export { BrevoSmsProvider } from './sms/brevo.js';
export { countSegments, detectEncoding, toGsm7 } from './sms/encoding.js';
export { isOptedOut, parseOptKeyword, stopMention } from './sms/opt-out.js';
export type {
  DeliveryReceipt,
  DeliveryStatus,
  InboundSms,
  SmsProvider,
  WebhookRequest,
} from './sms/provider.js';
export { SmsChannel } from './sms/sms-channel.js';
export { TwilioSmsProvider, twilioSignature } from './sms/twilio.js';
