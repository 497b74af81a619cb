import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Button, Code, CopyButton, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { Empty, QueryState } from '../../components/status';
import { formatDate } from '../../format';
import {
  CreatePartnerClientDocument,
  PartnerClientsDocument,
  RevokePartnerClientDocument,
  type PartnerClientFieldsFragment,
} from '../../graphql/generated';
import { ModalButton, ModalForm, notifySuccess } from './modal';
import { StatusBadge } from './status-badge';

/**
 * The manifests the router knows: the files in schema/persisted-queries/partners/*.json. A client with any
 * other manifest id could not run anything.
 */
const MANIFESTS = ['acme-feed', 'price-compare'];

type PartnerClient = PartnerClientFieldsFragment;

function ApiKeyOnce({ apiKey, onDone }: { apiKey: string; onDone: () => void }) {
  return (
    <Stack>
      <Alert color="yellow" title="Copy the API key">
        This key is shown only once. Store it now.
      </Alert>
      <Code block data-testid="partner-api-key" style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
        {apiKey}
      </Code>
      <Group justify="flex-end">
        <CopyButton value={apiKey}>
          {({ copied, copy }) => (
            <Button variant="light" color={copied ? 'teal' : undefined} onClick={copy}>
              {copied ? 'Copied' : 'Copy key'}
            </Button>
          )}
        </CopyButton>
        <Button onClick={onDone}>Done</Button>
      </Group>
    </Stack>
  );
}

function CreatePartnerForm({ onDone }: { onDone: () => void }) {
  const [name, setName] = useState('');
  const [manifestId, setManifestId] = useState<string | null>(null);
  const [submitted, setSubmitted] = useState(false);
  // no-cache: the API key must not be written to the Apollo cache; it lives in this form until it closes.
  const [create, { data, loading, error }] = useMutation(CreatePartnerClientDocument, {
    fetchPolicy: 'no-cache',
    refetchQueries: [PartnerClientsDocument],
  });

  if (data) return <ApiKeyOnce apiKey={data.createPartnerClient.apiKey} onDone={onDone} />;

  const submit = async () => {
    setSubmitted(true);
    if (!manifestId) return;
    await create({ variables: { input: { name: name.trim(), manifestId } } }).catch(() => undefined);
  };

  return (
    <ModalForm submitLabel="Create client" onSubmit={submit} onCancel={onDone} loading={loading} error={error}>
      <TextInput
        label="Name"
        description="The partner, as shown in this list"
        value={name}
        onChange={(e) => setName(e.currentTarget.value)}
        required
        data-autofocus
      />
      <Select
        label="Manifest"
        description="The operations this client may run"
        data={MANIFESTS}
        value={manifestId}
        onChange={setManifestId}
        error={submitted && !manifestId && 'Choose a manifest'}
        required
      />
    </ModalForm>
  );
}

function RevokeForm({ client, onDone }: { client: PartnerClient; onDone: () => void }) {
  const [revoke, { loading, error }] = useMutation(RevokePartnerClientDocument);
  const submit = async () => {
    const { data } = await revoke({ variables: { id: client.id } }).catch(() => ({ data: undefined }));
    if (!data) return;
    notifySuccess(`${client.name} revoked`);
    onDone();
  };
  return (
    <ModalForm submitLabel="Revoke client" onSubmit={submit} onCancel={onDone} loading={loading} error={error} danger>
      <Text size="sm">
        Requests with the key msk_{client.keyPrefix}_… will be refused from now on. This cannot be undone: the partner
        needs a new client and key.
      </Text>
    </ModalForm>
  );
}

export function PartnersPage() {
  const clients = useQuery(PartnerClientsDocument);
  return (
    <Stack>
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Title order={2}>Partner clients</Title>
        <ModalButton
          modalTitle="New partner client"
          closeOnClickOutside={false}
          modal={(close) => <CreatePartnerForm onDone={close} />}
        >
          New partner client
        </ModalButton>
      </Group>
      <QueryState result={clients}>
        {({ partnerClients }) =>
          partnerClients.length === 0 ? (
            <Empty>There are no partner clients yet.</Empty>
          ) : (
            <Table.ScrollContainer minWidth={760}>
              <Table striped verticalSpacing="xs">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Manifest</Table.Th>
                    <Table.Th>Key prefix</Table.Th>
                    <Table.Th>Created</Table.Th>
                    <Table.Th>Revoked</Table.Th>
                    <Table.Th>Actions</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {partnerClients.map((client) => (
                    <Table.Tr key={client.id} data-partner-id={client.id}>
                      <Table.Td>{client.name}</Table.Td>
                      <Table.Td>{client.manifestId}</Table.Td>
                      <Table.Td ff="monospace">{client.keyPrefix}</Table.Td>
                      <Table.Td>{formatDate(client.createdAt)}</Table.Td>
                      <Table.Td>
                        {client.revokedAt ? (
                          formatDate(client.revokedAt)
                        ) : (
                          <StatusBadge color="teal">active</StatusBadge>
                        )}
                      </Table.Td>
                      <Table.Td>
                        {!client.revokedAt && (
                          <ModalButton
                            size="xs"
                            variant="light"
                            color="red"
                            aria-label={`Revoke ${client.name}`}
                            modalTitle={`Revoke ${client.name}?`}
                            modal={(close) => <RevokeForm client={client} onDone={close} />}
                          >
                            Revoke
                          </ModalButton>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )
        }
      </QueryState>
    </Stack>
  );
}
