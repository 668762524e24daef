/**
 * The console's sign-in page (issue 14), Chinese first: a local account (username and password,
 * then the 6-digit code of the authenticator app, then — after an administrator's reset — a new
 * password), the province's identity service (统一身份认证登录) when the platform has one, and
 * the token entry the console always had (apps and administrators' tokens).
 */
import { useEffect, useState, type FormEvent } from 'react';
import { ErrorBox, Notice } from './ui.tsx';
import { LanguageSwitch } from './i18n/I18nProvider.tsx';

/** What a completed local sign-in answers (POST /auth/local/*). */
export interface SignedIn { readonly csrfToken: string }

interface Methods { readonly local: boolean; readonly oidc: { readonly label: string; readonly start: string } | null }

type Step = { readonly next: 'PASSWORD' } | { readonly next: 'TOTP' | 'CHANGE_PASSWORD'; readonly challenge: string };

class SignInRefused extends Error {}

async function postAuth(path: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body), credentials: 'same-origin', cache: 'no-store' });
  const answer = (await response.json().catch(() => ({}))) as Record<string, unknown> & { errors?: { message?: string }[] };
  if (!response.ok) throw new SignInRefused(answer.errors?.[0]?.message ?? `HTTP ${response.status}`);
  return answer;
}

export function SignInPage({ error, notice, onToken, onSession }: { error?: unknown; notice?: string; onToken(token: string): void; onSession(signedIn: SignedIn): void }) {
  const [methods, setMethods] = useState<Methods>({ local: true, oidc: null });
  useEffect(() => {
    fetch('/auth/methods', { cache: 'no-store' }).then((r) => (r.ok ? r.json() as Promise<Methods> : null)).then((m) => m && setMethods(m), () => {});
  }, []);
  return (
    <main className="signin">
      <div className="signin-card">
        <div className="signin-language"><LanguageSwitch /></div>
        <h1><span className="brand-mark" aria-hidden="true">政</span> 政务数据共享平台 · 控制台</h1>
        <p className="muted">govgraph console — 字段级共享策略、共享申请、资源目录与审计。</p>
        {notice && <Notice kind="info">{notice}</Notice>}
        <ErrorBox error={error} title="登录失败 Sign-in failed" />
        <LocalSignIn onSession={onSession} />
        {methods.oidc && (
          <p className="oidc-signin"><a className="button" href={methods.oidc.start} data-testid="oidc-signin">{methods.oidc.label}</a></p>
        )}
        <section className="token-signin">
          <h2>令牌登录（应用令牌或管理员令牌）</h2>
          <TokenSignIn onSignIn={onToken} />
        </section>
      </div>
    </main>
  );
}

function LocalSignIn({ onSession }: { onSession(signedIn: SignedIn): void }) {
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
        if (!username.trim() || !password) throw new SignInRefused('请输入用户名和密码。');
        advance(await postAuth('/auth/local/password', { username, password }));
      } else if (step.next === 'TOTP') {
        if (!/^\d{6}$/.test(code.trim())) throw new SignInRefused('请输入身份验证器显示的 6 位动态验证码。');
        advance(await postAuth('/auth/local/totp', { challenge: step.challenge, code: code.trim() }));
        setCode('');
      } else {
        advance(await postAuth('/auth/local/change-password', { challenge: step.challenge, newPassword }));
      }
    } catch (error) {
      setProblem((error as Error).message);
      // An expired challenge: start again from the password.
      if (/start again/.test((error as Error).message)) setStep({ next: 'PASSWORD' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="form" onSubmit={(e) => void submit(e)} noValidate data-testid="local-signin-form">
      <h2>账号密码登录</h2>
      {step.next === 'PASSWORD' && (
        <>
          <div className="field">
            <label htmlFor="username">用户名</label>
            <input id="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} data-testid="username-input" />
          </div>
          <div className="field">
            <label htmlFor="password">密码</label>
            <input id="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} data-testid="password-input" />
          </div>
        </>
      )}
      {step.next === 'TOTP' && (
        <div className="field">
          <label htmlFor="totp">动态验证码</label>
          <input id="totp" inputMode="numeric" autoComplete="one-time-code" maxLength={6} value={code} onChange={(e) => setCode(e.target.value)} data-testid="totp-input" autoFocus />
          <small className="hint">打开身份验证器应用，输入当前显示的 6 位数字。</small>
        </div>
      )}
      {step.next === 'CHANGE_PASSWORD' && (
        <div className="field">
          <label htmlFor="new-password">设置新密码</label>
          <input id="new-password" type="password" autoComplete="new-password" value={newPassword} onChange={(e) => setNewPassword(e.target.value)} data-testid="new-password-input" autoFocus />
          <small className="hint">您使用的是管理员重置的一次性密码，请设置自己的新密码（至少 12 个字符）。</small>
        </div>
      )}
      {problem && <small className="field-error" role="alert" data-testid="local-signin-problem">{problem}</small>}
      <button type="submit" disabled={busy} data-testid="local-signin">{step.next === 'PASSWORD' ? '下一步' : step.next === 'TOTP' ? '登录' : '保存并登录'}</button>
    </form>
  );
}

function TokenSignIn({ onSignIn }: { onSignIn(token: string): void }) {
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const t = token.trim().replace(/^Bearer\s+/i, '');
    if (!t) {
      setProblem('Paste your token: an app token, or your department administrator token. 请粘贴令牌。');
      return;
    }
    if (/\s/.test(t)) {
      setProblem('A token has no spaces; paste it exactly as it was issued.');
      return;
    }
    setProblem(undefined);
    onSignIn(t);
  };
  return (
    <form className="form" onSubmit={submit} noValidate data-testid="signin-form">
      <div className={`field${problem ? ' field-invalid' : ''}`}>
        <label htmlFor="token">令牌 Token</label>
        <input id="token" type="password" autoComplete="off" spellCheck={false} value={token} onChange={(e) => setToken(e.target.value)} data-testid="token-input" />
        {problem ? <small className="field-error" role="alert">{problem}</small> : <small className="hint">An app token or an administrator token. It is kept in this browser tab only (session storage) and sent to this platform only.</small>}
      </div>
      <button type="submit" data-testid="signin">令牌登录 Sign in</button>
    </form>
  );
}
