import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { createSmtpTransport } from '../../channels/email/email-channel.js';
import { parseSmtpUrl, type SmtpSettings } from '../../channels/email/smtp-settings.js';
import { parseOrgChannelSettings } from '../../channels/registry.js';
import { withOrg } from '../../db/connection.js';
import { type Invitation, insertInvitation, revokePendingInvitations } from '../../db/queries/invitations.js';
import { getOrganisation, type Organisation } from '../../db/queries/organisations.js';
import { findUserByEmail } from '../../db/queries/users.js';
import type { Database } from '../../db/schema/index.js';
import { AppError, notFound } from '../../errors.js';
import { roles } from '../api-keys/create-api-key.js';
import { emailSchema } from '../auth/create-user.js';
import type { PortalSecretSource } from '../portal/portal-access.js';
import { invitationTokenHash, signInvitationToken } from './invitation-token.js';

export const INVITATION_DAYS = 7;

export const inviteInput = z.object({ email: emailSchema, role: z.enum(roles) });
export type InviteInput = z.input<typeof inviteInput>;

export interface InviteContext {
  invitedBy: string | null;
  now: Date;
  /** Where the web app is served (PUBLIC_URL, or the request's origin). */
  baseUrl: string;
  secret: PortalSecretSource;
  /** Instance SMTP_URL, used when the organisation has no SMTP server of its own. */
  smtpUrl?: string | undefined;
  log?: { warn(obj: object, msg: string): void };
}

export interface InviteResult {
  invitation: Invitation;
  /** The link to give the invitee; the API returns it so an admin can pass it on by hand. */
  link: string;
  emailed: boolean;
}

/**
 * Invite someone to the organisation with a role: a signed, single-use link valid
 * INVITATION_DAYS days, replacing any pending invitation for the same address. The link is
 * emailed through the organisation's SMTP server (or the instance's) when there is one; a
 * failed email does not undo the invitation, the link is returned either way.
 */
export async function inviteUser(
  db: Kysely<Database>,
  orgId: string,
  input: InviteInput,
  ctx: InviteContext,
): Promise<InviteResult> {
  const parsed = inviteInput.safeParse(input);
  if (!parsed.success) {
    throw new AppError(
      'VALIDATION',
      'Invalid invitation',
      parsed.error.issues.map((i) => ({ field: i.path.join('.'), reason: i.message })),
    );
  }
  const { email, role } = parsed.data;
  // Emails are unique across organisations (sign-in needs only email and password).
  if (await findUserByEmail(db, email)) {
    throw new AppError('CONFLICT', 'A user with this email already exists', [
      { field: 'email', reason: 'already registered', code: 'email_taken' },
    ]);
  }
  const { invitation, token, org } = await withOrg(db, orgId, async (trx) => {
    const org = await getOrganisation(trx, orgId);
    if (!org) throw notFound('Organisation', orgId);
    await revokePendingInvitations(trx, orgId, email, ctx.now);
    const id = randomUUID();
    const token = await signInvitationToken(trx, orgId, id, ctx.secret);
    const invitation = await insertInvitation(trx, {
      org_id: orgId,
      id,
      email,
      role,
      token_hash: invitationTokenHash(token),
      invited_by: ctx.invitedBy,
      created_at: ctx.now,
      expires_at: new Date(ctx.now.getTime() + INVITATION_DAYS * 86_400_000),
      accepted_at: null,
      accepted_user_id: null,
      revoked_at: null,
    });
    return { invitation, token, org };
  });
  // The token rides in the fragment: browsers do not send it to the server, so it stays
  // out of access logs and Referer headers.
  const link = `${ctx.baseUrl.replace(/\/+$/, '')}/invitation#${token}`;
  const emailed = await sendInvitationEmail(org, email, role, link, ctx).catch((err: unknown) => {
    ctx.log?.warn({ invitationId: invitation.id, err: (err as Error).message }, 'invitation email failed');
    return false;
  });
  return { invitation, link, emailed };
}

function smtpOf(org: Organisation, instanceUrl: string | undefined): SmtpSettings | undefined {
  const own = parseOrgChannelSettings(org.settings).smtp;
  if (own) return { ...own };
  return instanceUrl ? parseSmtpUrl(instanceUrl) : undefined;
}

async function sendInvitationEmail(
  org: Organisation,
  to: string,
  role: string,
  link: string,
  ctx: InviteContext,
): Promise<boolean> {
  const smtp = smtpOf(org, ctx.smtpUrl);
  const s = (org.settings ?? {}) as { senderEmail?: string; senderName?: string };
  const from = s.senderEmail ?? org.email;
  if (!smtp || !from) return false;
  const transport = createSmtpTransport(smtp);
  try {
    await transport.sendMail({
      from: { name: s.senderName ?? org.legal_name, address: from },
      to,
      subject: `Invitation à rejoindre ${org.legal_name} sur Relance / Invitation to join ${org.legal_name}`,
      text: [
        `Bonjour,`,
        ``,
        `Vous êtes invité(e) à rejoindre ${org.legal_name} sur Relance (rôle : ${role}).`,
        `Choisissez votre nom et votre mot de passe ici, dans les ${INVITATION_DAYS} jours :`,
        link,
        ``,
        `You are invited to join ${org.legal_name} on Relance (role: ${role}).`,
        `Choose your name and password within ${INVITATION_DAYS} days at the link above.`,
      ].join('\n'),
      headers: { 'Auto-Submitted': 'auto-generated' },
    });
    return true;
  } finally {
    transport.close();
  }
}
