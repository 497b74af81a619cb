import { Button, Group, Modal, Stack, type ButtonProps } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type ComponentPropsWithoutRef, type FormEvent, type ReactNode } from 'react';
import { ErrorNotice } from '../../components/status';

type ModalButtonProps = ButtonProps &
  Omit<ComponentPropsWithoutRef<'button'>, keyof ButtonProps | 'onClick' | 'title'> & {
    modalTitle: string;
    /** The modal's content; `close` closes the modal. */
    modal: (close: () => void) => ReactNode;
    closeOnClickOutside?: boolean;
  };

/**
 * A button that opens a modal. The modal and its content exist only from opening until the closing
 * transition ends (tables stay light with one per row), so every opening starts with a fresh form and
 * nothing typed or returned (an API key) outlives it.
 */
export function ModalButton({ modalTitle, modal, closeOnClickOutside, children, ...buttonProps }: ModalButtonProps) {
  const [opened, setOpened] = useState(false);
  const [mounted, setMounted] = useState(false);
  const [button, setButton] = useState<HTMLButtonElement | null>(null);
  const close = () => {
    setOpened(false);
    // Back to the button, as Mantine does only for modals that were mounted closed (this one mounts open).
    button?.focus();
  };
  return (
    <>
      <Button
        {...buttonProps}
        ref={setButton}
        onClick={() => {
          setMounted(true);
          setOpened(true);
        }}
      >
        {children}
      </Button>
      {mounted && (
        <Modal
          opened={opened}
          onClose={close}
          title={modalTitle}
          closeOnClickOutside={closeOnClickOutside}
          onExitTransitionEnd={() => setMounted(false)}
        >
          {modal(close)}
        </Modal>
      )}
    </>
  );
}

interface ModalFormProps {
  submitLabel: string;
  onSubmit: () => Promise<void>;
  onCancel: () => void;
  loading: boolean;
  /** The mutation's error, said by its meaning above the buttons. */
  error: unknown;
  danger?: boolean;
  children: ReactNode;
}

/** A modal's form: its fields, the mutation's error, Cancel and the submit button. */
export function ModalForm({ submitLabel, onSubmit, onCancel, loading, error, danger, children }: ModalFormProps) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void onSubmit();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {children}
        {error ? <ErrorNotice error={error} /> : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={loading} color={danger ? 'red' : undefined}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function notifySuccess(message: string): void {
  notifications.show({ color: 'teal', message });
}
