/**
 * The console's sign-in page (issue 14), Chinese first: a local account (username and password,
 * then the 6-digit code of the authenticator app, then — after an administrator's reset — a new
 * password), the province's identity service (统一身份认证登录) when the platform has one, and
 * the token entry the console always had (apps and administrators' tokens).
 */
import { useEffect, useState, type FormEvent } from 'react';
import { ErrorBox, Notice } from './ui.tsx';
import { LanguageSwitch, useMessages } from './i18n/I18nProvider.tsx';
import { defineMessages, type Translate } from './i18n/defineMessages.ts';
import { COMMON, type CommonKey } from './i18n/common.ts';
import type { Locale } from './i18n/locale.ts';

const M = defineMessages('signInPage', {
  'title': '政务数据共享平台 · 控制台',
  'local.title': '账号密码登录',
  'local.username': '用户名',
  'local.password': '密码',
  'local.emptyPassword': '请输入用户名和密码。',
  'local.totp': '动态验证码',
  'local.totpHint': '打开身份验证器应用，输入当前显示的 6 位数字。',
  'local.badTotp': '请输入身份验证器显示的 6 位动态验证码。',
  'local.newPassword': '设置新密码',
  'local.newPasswordHint': '您使用的是管理员重置的一次性密码，请设置自己的新密码（至少 12 个字符）。',
  'local.next': '下一步',
  'local.signIn': '登录',
  'local.saveAndSignIn': '保存并登录',
  'oidc.label': '统一身份认证登录',
  'token.title': '令牌登录（应用令牌或管理员令牌）',
}, {
  'title': 'Government data sharing platform · console',
  'local.title': 'Sign in with your account',
  'local.username': 'Username',
  'local.password': 'Password',
  'local.emptyPassword': 'Enter your username and password.',
  'local.totp': 'One-time code',
  'local.totpHint': 'Open your authenticator app and enter the 6 digits it shows now.',
  'local.badTotp': 'Enter the 6-digit code your authenticator app shows.',
  'local.newPassword': 'Choose a new password',
  'local.newPasswordHint': 'You signed in with a one-time password an administrator set; choose your own new password (at least 12 characters).',
  'local.next': 'Next',
  'local.signIn': 'Sign in',
  'local.saveAndSignIn': 'Save and sign in',
  'oidc.label': 'Sign in with the identity service',
  'token.title': 'Sign in with a token (app or administrator token)',
});

/** What a completed local sign-in answers (POST /auth/local/*). */
export interface SignedIn { readonly csrfToken: string }

interface Methods { readonly local: boolean; readonly oidc: { readonly label: string; readonly start: string } | null }

type Step = { readonly next: 'PASSWORD' } | { readonly next: 'TOTP' | 'CHANGE_PASSWORD'; readonly challenge: string };

class SignInRefused extends Error {}

/** Posts a sign-in step; the platform's messages follow the console's language (Accept-Language). */
async function postAuth(path: string, body: Record<string, unknown>, locale: Locale): Promise<Record<string, unknown>> {
  const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', 'accept-language': locale }, body: JSON.stringify(body), credentials: 'same-origin', cache: 'no-store' });
  const answer = (await response.json().catch(() => ({}))) as Record<string, unknown> & { errors?: { message?: string }[] };
  if (!response.ok) throw new SignInRefused(answer.errors?.[0]?.message ?? `HTTP ${response.status}`);
  return answer;
}

export function SignInPage({ error, notice, onToken, onSession }: { error?: unknown; notice?: string; onToken(token: string): void; onSession(signedIn: SignedIn): void }) {
  const t = useMessages(M);
  const common = useMessages(COMMON);
  const [methods, setMethods] = useState<Methods>({ local: true, oidc: null });
  useEffect(() => {
    fetch('/auth/methods', { cache: 'no-store' }).then((r) => (r.ok ? r.json() as Promise<Methods> : null)).then((m) => m && setMethods(m), () => {});
  }, []);
  return (
    <main className="signin">
      <div className="signin-card">
        <div className="signin-language"><LanguageSwitch /></div>
        <h1><span className="brand-mark" aria-hidden="true">政</span> {t('title')}</h1>
        <p className="muted">{common('brand.tagline')}</p>
        {notice && <Notice kind="info">{notice}</Notice>}
        <ErrorBox error={error} title={common('signin.failed')} />
        <LocalSignIn onSession={onSession} t={t} />
        {methods.oidc && (
          // The identity service's own label (configured by the province) when it names itself; ours otherwise.
          <p className="oidc-signin"><a className="button" href={methods.oidc.start} data-testid="oidc-signin">{t.locale === 'zh-CN' && methods.oidc.label ? methods.oidc.label : t('oidc.label')}</a></p>
        )}
        <section className="token-signin">
          <h2>{t('token.title')}</h2>
          <TokenSignIn onSignIn={onToken} common={common} />
        </section>
      </div>
    </main>
  );
}

function LocalSignIn({ onSession, t }: { onSession(signedIn: SignedIn): void; t: Translate<keyof (typeof M)['zh-CN']> }) {
  const [step, setStep] = useState<Step>({ next: 'PASSWORD' });
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const advance = (answer: Record<string, unknown>) => {
    if (answer.next === 'SIGNED_IN') onSession({ csrfToken: String(answer.csrfToken) });
    else setStep({ next: answer.next as 'TOTP' | 'CHANGE_PASSWORD', challenge: String(answer.challenge) });
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(undefined);
    setBusy(true);
    try {
      if (step.next === 'PASSWORD') {
        if (!username.trim() || !password) throw new SignInRefused(t('local.emptyPassword'));
        advance(await postAuth('/auth/local/password', { username, password }, t.locale));
      } else if (step.next === 'TOTP') {
        if (!/^\d{6}$/.test(code.trim())) throw new SignInRefused(t('local.badTotp'));
        advance(await postAuth('/auth/local/totp', { challenge: step.challenge, code: code.trim() }, t.locale));
        setCode('');
      } else {
        advance(await postAuth('/auth/local/change-password', { challenge: step.challenge, newPassword }, t.locale));
      }
    } catch (error) {
      setProblem((error as Error).message);
      // An expired challenge: start again from the password.
      if (/start again|重新/.test((error as Error).message)) setStep({ next: 'PASSWORD' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="form" onSubmit={(e) => void submit(e)} noValidate data-testid="local-signin-form">
      <h2>{t('local.title')}</h2>
      {step.next === 'PASSWORD' && (
        <>
          <div className="field">
            <label htmlFor="username">{t('local.username')}</label>
            <input id="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} data-testid="username-input" />
          </div>
          <div className="field">
            <label htmlFor="password">{t('local.password')}</label>
            <input id="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} data-testid="password-input" />
          </div>
        </>
      )}
      {step.next === 'TOTP' && (
        <div className="field">
          <label htmlFor="totp">{t('local.totp')}</label>
          <input id="totp" inputMode="numeric" autoComplete="one-time-code" maxLength={6} value={code} onChange={(e) => setCode(e.target.value)} data-testid="totp-input" autoFocus />
          <small className="hint">{t('local.totpHint')}</small>
        </div>
      )}
      {step.next === 'CHANGE_PASSWORD' && (
        <div className="field">
          <label htmlFor="new-password">{t('local.newPassword')}</label>
          <input id="new-password" type="password" autoComplete="new-password" value={newPassword} onChange={(e) => setNewPassword(e.target.value)} data-testid="new-password-input" autoFocus />
          <small className="hint">{t('local.newPasswordHint')}</small>
        </div>
      )}
      {problem && <small className="field-error" role="alert" data-testid="local-signin-problem">{problem}</small>}
      <button type="submit" disabled={busy} data-testid="local-signin">{step.next === 'PASSWORD' ? t('local.next') : step.next === 'TOTP' ? t('local.signIn') : t('local.saveAndSignIn')}</button>
    </form>
  );
}

function TokenSignIn({ onSignIn, common }: { onSignIn(token: string): void; common: Translate<CommonKey> }) {
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const t = token.trim().replace(/^Bearer\s+/i, '');
    if (!t) {
      setProblem(common('signin.empty'));
      return;
    }
    if (/\s/.test(t)) {
      setProblem(common('signin.spaces'));
      return;
    }
    setProblem(undefined);
    onSignIn(t);
  };
  return (
    <form className="form" onSubmit={submit} noValidate data-testid="signin-form">
      <div className={`field${problem ? ' field-invalid' : ''}`}>
        <label htmlFor="token">{common('signin.token')}</label>
        <input id="token" type="password" autoComplete="off" spellCheck={false} value={token} onChange={(e) => setToken(e.target.value)} data-testid="token-input" />
        {problem ? <small className="field-error" role="alert">{problem}</small> : <small className="hint">{common('signin.tokenHint')}</small>}
      </div>
      <button type="submit" data-testid="signin">{common('signin.submit')}</button>
    </form>
  );
}
