// The SMTP adapter: one message to the server named by SMTP_URL, through nodemailer.
import nodemailer from 'nodemailer';

export type MailMessage = { from: string; to: string; subject: string; text: string; messageId: string };

/** Sends one message through the SMTP server at `smtpUrl`, then closes the connection. */
export async function sendMail(smtpUrl: string, message: MailMessage): Promise<void> {
  const transport = nodemailer.createTransport(smtpUrl);
  try {
    await transport.sendMail(message);
  } finally {
    transport.close();
  }
}
