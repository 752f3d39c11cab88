import { ApiKeysPanel } from '@/components/profile/ApiKeysPanel';
import { ChangePasswordForm } from '@/components/profile/ChangePasswordForm';
import { ProfileForm } from '@/components/profile/ProfileForm';

export const metadata = { title: 'Profile' };

export default function ProfilePage() {
  return (
    <>
      <h1>Your account</h1>
      <ProfileForm />
      <ChangePasswordForm />
      <ApiKeysPanel />
    </>
  );
}
