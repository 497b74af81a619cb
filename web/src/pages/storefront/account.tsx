import { useMutation } from '@apollo/client/react';
import { Alert, Anchor, Button, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ErrorNotice } from '../../components/status';
import { LoginDocument, RegisterDocument, type LoginMutation } from '../../graphql/generated';
import { sessionStore } from '../../session';

/** Only paths inside the app: `next` comes from the URL and must not send anyone off-site. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

function useSignedIn() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  return (payload: LoginMutation['login']) => {
    sessionStore.signIn({ token: payload.token, expiresAt: payload.expiresAt, user: payload.user });
    void navigate(safeNext(params.get('next')), { replace: true });
  };
}

export function LoginPage() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const signedIn = useSignedIn();
  const [params] = useSearchParams();
  const [login, { loading, error }] = useMutation(LoginDocument);
  const endedBecause = sessionStore.endedBecause;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const { data } = await login({ variables: { email, password } }).catch(() => ({ data: undefined }));
    if (data) signedIn(data.login);
  };

  return (
    <Paper maw={420} mx="auto" mt="xl" p="lg" withBorder>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Title order={2}>Sign in</Title>
          {endedBecause && (
            <Alert color="yellow" role="status">
              {endedBecause}
            </Alert>
          )}
          {error && <ErrorNotice error={error} />}
          <TextInput
            label="Email"
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
          />
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <Button type="submit" loading={loading}>
            Sign in
          </Button>
          <Text size="sm">
            New here?{' '}
            <Anchor
              component={Link}
              to={`/register${params.get('next') ? `?next=${encodeURIComponent(params.get('next') ?? '')}` : ''}`}
            >
              Create an account
            </Anchor>
          </Text>
        </Stack>
      </form>
    </Paper>
  );
}

export function RegisterPage() {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const signedIn = useSignedIn();
  const [register, { loading, error }] = useMutation(RegisterDocument);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const { data } = await register({ variables: { input: { name, email, password } } }).catch(() => ({
      data: undefined,
    }));
    if (data) signedIn(data.register);
  };

  return (
    <Paper maw={420} mx="auto" mt="xl" p="lg" withBorder>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Title order={2}>Create an account</Title>
          {error && <ErrorNotice error={error} />}
          <TextInput
            label="Name"
            autoComplete="name"
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
          />
          <TextInput
            label="Email"
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
          />
          <PasswordInput
            label="Password"
            description="At least 8 characters"
            autoComplete="new-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <Button type="submit" loading={loading}>
            Create account
          </Button>
          <Text size="sm">
            Already have an account?{' '}
            <Anchor component={Link} to="/login">
              Sign in
            </Anchor>
          </Text>
        </Stack>
      </form>
    </Paper>
  );
}
